// A pipeline's schedules and run-history charts.
import { SchedulesPage } from "@/components/schedules/schedules-page";

export default async function PipelineSchedulesPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <SchedulesPage pipelineId={decodeURIComponent(id)} />;
}
