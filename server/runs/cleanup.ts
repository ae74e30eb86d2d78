// After a run ends without success, make sure nothing of it is visible: the runtime deletes its
// staging dirs itself, but a job killed hard (SIGKILL after `ray job stop` times out, a node
// lost) cannot. The monitor then removes `.<name>.etl-staging-<runId>` beside each local write
// target, and puts back a previous output an interrupted overwrite had moved aside.
import fs from "node:fs";
import path from "node:path";
import { parseDocument } from "../pipeline";
import { resolvePath } from "../services/pipeline-context";

export interface CleanupReport {
  readonly removed: string[];
  readonly restored: string[];
}

const isUri = (p: string) => /^[a-z][a-z0-9+.-]*:\/\//i.test(p);

/** Local write targets of a stored run document, resolved against `baseDir`. */
export function localWriteTargets(document: string, baseDir: string): string[] {
  const { doc } = parseDocument(document);
  if (!doc) return [];
  const out: string[] = [];
  for (const n of doc.nodes) {
    if (n.kind !== "write") continue;
    const p = (n.params as { path?: string }).path?.trim();
    if (!p || isUri(p)) continue; // S3 etc.: the runtime's own discard is all we have
    out.push(path.resolve(resolvePath(p, baseDir)));
  }
  return out;
}

/** Removes what run `runId` may have left beside its local targets. Idempotent. */
export function cleanupRunOutputs(document: string, runId: string, baseDir: string): CleanupReport {
  const removed: string[] = [];
  const restored: string[] = [];
  for (const target of localWriteTargets(document, baseDir)) {
    const dir = path.dirname(target);
    const name = path.basename(target);
    const staging = path.join(dir, `.${name}.etl-staging-${runId}`);
    if (fs.existsSync(staging)) {
      fs.rmSync(staging, { recursive: true, force: true });
      removed.push(staging);
    }
    const old = path.join(dir, `.${name}.etl-old-${runId}`);
    if (fs.existsSync(old) && !fs.existsSync(target)) {
      fs.renameSync(old, target); // an overwrite was interrupted between its two renames
      restored.push(target);
    }
  }
  return { removed, restored };
}
