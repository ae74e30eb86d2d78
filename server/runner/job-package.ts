// Turns a generated script into a Ray job: a zip of the script plus the etl_runtime package
// (uploaded once per content hash) as the job's working_dir, and a submission id we choose.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { RayJobsClient } from "./ray-jobs";
import { buildZip, type ZipEntry } from "./zip";

export const SCRIPT_NAME = "pipeline.py";

function runtimeEntries(runtimeDir: string): ZipEntry[] {
  const out: ZipEntry[] = [];
  const walk = (dir: string, rel: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.name === "__pycache__" || e.name.startsWith(".")) continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p, `${rel}${e.name}/`);
      else if (e.name.endsWith(".py")) out.push({ name: `${rel}${e.name}`, data: fs.readFileSync(p) });
    }
  };
  walk(runtimeDir, "etl_runtime/");
  return out;
}

/** A fresh submission id, e.g. "etl-reviews-20261125-193012-a1b2c3". */
export function newSubmissionId(pipelineId: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  const safe = pipelineId.toLowerCase().replace(/[^a-z0-9]+/g, "-").slice(0, 30);
  return `etl-${safe}-${stamp}-${randomBytes(3).toString("hex")}`;
}

export interface SubmitPipelineOptions {
  readonly python: string;
  readonly pipelineId: string;
  /** Repository root: the runtime package is read from <root>/runtime/etl_runtime. */
  readonly root: string;
  /** Where relative data paths resolve on the cluster (ETL_BASE_DIR). */
  readonly baseDir: string;
  readonly submissionId?: string;
  readonly envVars?: Record<string, string>;
  /** More files for the working_dir (e.g. the key that opens sealed S3 connection settings). */
  readonly files?: readonly ZipEntry[];
  readonly metadata?: Record<string, string>;
}

/** Uploads the package and submits the job; resolves to the submission id. */
export async function submitPipeline(client: RayJobsClient, o: SubmitPipelineOptions): Promise<string> {
  const zip = buildZip([{ name: SCRIPT_NAME, data: Buffer.from(o.python, "utf8") }, ...(o.files ?? []), ...runtimeEntries(path.join(o.root, "runtime", "etl_runtime"))]);
  const uri = await client.uploadPackage(zip);
  const submissionId = o.submissionId ?? newSubmissionId(o.pipelineId);
  await client.submit({
    entrypoint: `python ${SCRIPT_NAME}`,
    submissionId,
    runtimeEnv: {
      working_dir: uri,
      env_vars: { ETL_BASE_DIR: o.baseDir, ETL_RUN_ID: submissionId, PYTHONUNBUFFERED: "1", ...o.envVars },
    },
    metadata: { pipeline: o.pipelineId, ...o.metadata },
  });
  return submissionId;
}
