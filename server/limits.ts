// Every size limit of the app in one place. Pipeline limits (nodes, edges, saved bytes, UDF
// source) are constants of the isomorphic core, so the canvas, the CLI and the server give the
// same answer; the request body limit belongs to the web server and follows the environment.
import { z } from "zod";
import { PIPELINE_LIMITS } from "./pipeline/limits";

export { PIPELINE_LIMITS };

const RequestLimitsSchema = z.object({
  /**
   * Largest tRPC request body (bytes). Above the largest pipeline (5 MB saved) with room for
   * the JSON around it, so a pipeline within its limits always reaches the server to be checked.
   */
  ETL_MAX_REQUEST_BYTES: z.coerce.number().int().positive().default(10_000_000),
});

/** e.g. requestLimits().maxBodyBytes === 10_000_000 */
export function requestLimits(source: Readonly<Record<string, string | undefined>> = process.env): { readonly maxBodyBytes: number } {
  return { maxBodyBytes: RequestLimitsSchema.parse(source).ETL_MAX_REQUEST_BYTES };
}
