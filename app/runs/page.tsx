// The runs table: every run, filtered, sorted and paged on the server.
import { RunsTable } from "@/components/dashboard/runs-table";

export default function RunsPage() {
  return <RunsTable />;
}
