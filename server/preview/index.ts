// The process-wide preview service and its worker. Next bundles route code apart from
// server/main.ts, so module state is not shared between them; globalThis is.
import { baseDir } from "../services/pipeline-context";
import { PreviewService } from "./service";
import { PreviewWorker } from "./worker";

export { PreviewService, previewTimeoutMs, type PreviewInput } from "./service";
export { PreviewWorker, type WorkerReady } from "./worker";
export * from "./types";

const g = globalThis as unknown as { etlPreviewService?: PreviewService };

/**
 * The app's preview service (created on first use; its worker starts on the first preview).
 * Example: `await previewService().preview({ document, nodeId: "sort", rows: 100 })`
 */
export function previewService(): PreviewService {
  const maxSourceRows = Number(process.env.ETL_PREVIEW_MAX_SOURCE_ROWS);
  g.etlPreviewService ??= new PreviewService({
    worker: new PreviewWorker({ baseDir: baseDir(), log: (m) => console.log(`[preview] ${m}`) }),
    baseDir: baseDir(),
    maxSourceRows: Number.isInteger(maxSourceRows) && maxSourceRows > 0 ? maxSourceRows : undefined,
  });
  return g.etlPreviewService;
}

/** Starts the worker now (Ray start-up and warm-up take seconds), so the first preview is fast. */
export function startPreviewWorker(): void {
  previewService().worker.start().catch((e: Error) => console.error(`[preview] ${e.message}`));
}
