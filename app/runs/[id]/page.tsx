// One run: stage timeline, log, error at its node, what it ran, Re-run.
import { RunDetail } from "@/components/dashboard/run-detail";

export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <RunDetail runId={decodeURIComponent(id)} />;
}
