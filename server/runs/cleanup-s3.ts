// After a run ends without success, removes what it may have staged on S3: the runtime deletes
// its staging prefix itself, but a job killed hard cannot. For each s3:// write target
// `<parent>/<name>` of the run, every object under `<parent>/.<...>.etl-staging-<runId>/` goes.
// Staging prefixes are hidden siblings of the target, so readers never saw them meanwhile.
import { DeleteObjectsCommand } from "@aws-sdk/client-s3";
import type { Connections } from "../connections/store";
import { parseDocument } from "../pipeline";
import { defaultChainSettings } from "../services/pipeline-context";
import { listAll, parseS3Uri, s3Client } from "../storage/s3";

/** Deletes the run's leftover S3 staging objects; resolves to the keys removed (s3:// URIs). */
export async function cleanupS3Staging(document: string, runId: string, connections: Connections): Promise<string[]> {
  const { doc } = parseDocument(document);
  if (!doc) return [];
  const removed: string[] = [];
  for (const n of doc.nodes) {
    if (n.kind !== "write") continue;
    const target = parseS3Uri(n.params.path);
    if (!target || !target.key.replace(/\/+$/, "")) continue;
    const settings = n.params.connection ? await connections.settings(n.params.connection) : defaultChainSettings();
    if (!settings) continue;
    const key = target.key.replace(/\/+$/, "");
    const parent = key.includes("/") ? key.slice(0, key.lastIndexOf("/") + 1) : "";
    const client = s3Client(settings);
    try {
      const suffix = `.etl-staging-${runId}`;
      const leftovers = (await listAll(client, target.bucket, `${parent}.`))
        .map((o) => o.Key!)
        .filter((k) => k.slice(parent.length).split("/")[0].endsWith(suffix));
      for (let i = 0; i < leftovers.length; i += 1000) {
        const batch = leftovers.slice(i, i + 1000);
        await client.send(new DeleteObjectsCommand({ Bucket: target.bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }));
      }
      removed.push(...leftovers.map((k) => `s3://${target.bucket}/${k}`));
    } finally {
      client.destroy();
    }
  }
  return removed;
}
