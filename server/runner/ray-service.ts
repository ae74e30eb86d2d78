// Where the app's Ray is: RAY_ADDRESS (any cluster's Jobs API) or the embedded local head on
// loopback. Shared by the web tier, the CLI and the tests.
import path from "node:path";
import { env } from "../env";
import { ensureAuthToken, LocalRay } from "./local-ray";
import { RayJobsClient } from "./ray-jobs";

/** The Jobs API address, e.g. "http://127.0.0.1:8265". */
export function rayAddress(): string {
  const e = env();
  return e.RAY_ADDRESS ?? `http://127.0.0.1:${e.ETL_RAY_DASHBOARD_PORT}`;
}

/** The local head's token file (data/ray-auth-token); RAY_AUTH_TOKEN overrides for clusters. */
export function authTokenFile(): string {
  return path.join(env().dataDir, "ray-auth-token");
}

/** The token to present to Ray's Jobs API, if any (never sent to the browser or logged). */
export function rayToken(): string | undefined {
  if (process.env.RAY_AUTH_TOKEN) return process.env.RAY_AUTH_TOKEN;
  if (env().RAY_ADDRESS) return undefined;
  return ensureAuthToken(authTokenFile());
}

export function rayClient(timeoutMs?: number, address = rayAddress()): RayJobsClient {
  return new RayJobsClient(address, timeoutMs, address === rayAddress() ? rayToken() : process.env.RAY_AUTH_TOKEN);
}

/** A supervisor for the embedded head, configured from the environment (not started). */
export function localRayFromEnv(log?: (m: string) => void): LocalRay {
  const e = env();
  return new LocalRay({
    binDir: path.dirname(e.python),
    gcsPort: e.ETL_RAY_GCS_PORT,
    dashboardPort: e.ETL_RAY_DASHBOARD_PORT,
    objectStoreBytes: e.ETL_RAY_OBJECT_STORE_BYTES,
    numCpus: e.ETL_RAY_NUM_CPUS,
    tempDir: `/tmp/ray-etl-${e.ETL_RAY_GCS_PORT}`,
    logFile: path.join(e.dataDir, "ray-head.log"),
    authTokenFile: authTokenFile(),
    log,
  });
}
