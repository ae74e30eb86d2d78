// Python UDF syntax checks for the canvas: parsed (never run) by the server's Python, so the
// editor can mark the line of a syntax error while the user types.
import { z } from "zod";
import { PIPELINE_LIMITS } from "../../limits";
import { checkPythonSources } from "../../python/check-udf";
import { publicProcedure, router } from "../trpc";

const PythonCheckOut = z.union([
  z.object({ ok: z.literal(true) }),
  z.object({ ok: z.literal(false), line: z.number(), message: z.string(), column: z.number().optional() }),
]);

export const pythonRouter = router({
  /** Checks several sources in one Python process; keys are node ids. Longer sources are E_UDF_TOO_LARGE on the canvas already. */
  check: publicProcedure
    .input(z.object({ sources: z.record(z.string().max(64), z.string().max(PIPELINE_LIMITS.maxUdfSourceBytes)).refine((r) => Object.keys(r).length <= 1000, "Too many sources") }))
    .output(z.record(z.string(), PythonCheckOut))
    .mutation(({ input }) => checkPythonSources(input.sources)),
});
