// Preview for the canvas: sample rows after any node, run by the warm preview worker on a
// sample of the source with the pipeline's own generated code (server/preview/).
import { z } from "zod";
import { PipelineDocumentSchema } from "../../pipeline/schema";
import { previewService, PreviewResultSchema } from "../../preview";
import { connectionsFrom } from "../../connections/store";
import { roleAtLeast } from "../../auth/actor";
import { assertSavedDocument } from "../../auth/workspace-scope";
import { publicProcedure, router } from "../trpc";

export const PreviewNodeInput = z.object({
  document: PipelineDocumentSchema,
  nodeId: z.string().min(1).max(64),
  /** Rows to show; the sample starts at this many source rows and grows if filters drop rows. */
  rows: z.number().int().min(1).max(5000).default(100),
  /** Run again even if a cached answer exists. */
  refresh: z.boolean().optional(),
});

export const previewRouter = router({
  /**
   * Rows after `nodeId` on a sample of its source, or an error pinned to a node. A mutation
   * only for transport (POST: a document with UDF sources can outgrow a GET URL); it changes
   * nothing. Example: `{ ok: true, columns: [{ name: "marketplace", type: "string" }, ...],
   * rows: [["US", ...]], sampleRows: 100, sourceRowsRead: 1000, cached: false, ms: 84 }`
   */
  node: publicProcedure
    .input(PreviewNodeInput)
    .output(PreviewResultSchema)
    .mutation(async ({ ctx, input, signal }) => {
      // viewers see previews of saved pipelines only: a preview runs the document's Python
      if (!roleAtLeast(ctx.actor.role, "editor")) await assertSavedDocument(ctx.db, ctx.actor, input.document, input.nodeId);
      return previewService().preview({ ...input, connections: connectionsFrom(ctx.db) }, { signal });
    }),
});
