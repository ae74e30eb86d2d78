// The pipeline editor for one pipeline.
import { PipelineEditor } from "@/components/canvas/pipeline-editor";

export default async function PipelinePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <PipelineEditor id={decodeURIComponent(id)} />;
}
