// Home: the dashboard — runs by state, what is running, recent failures, upcoming schedules.
// The pipelines list is at /pipelines (linked from the top bar and the dashboard).
import { DashboardHome } from "@/components/dashboard/dashboard-home";

export default function Home() {
  return <DashboardHome />;
}
