// Tests for the write kind.
import { describe, expect, it } from "vitest";
import { NodeSchema } from "../schema";
import { REVIEWS_SCHEMA } from "../test-fixtures";
import { write } from "./write";

const node = (params: object) => NodeSchema.parse({ id: "out", kind: "write", params }) as Parameters<typeof write.outputSchema>[0];

describe("write", () => {
  it("passes the schema through", () => {
    expect(write.outputSchema(node({ path: "out/x" }), REVIEWS_SCHEMA, {})).toEqual({ schema: REVIEWS_SCHEMA, diagnostics: [] });
  });

  it("requires a path", () => {
    expect(write.outputSchema(node({}), null, {}).diagnostics).toEqual([
      expect.objectContaining({ code: "E_PATH_MISSING", nodeId: "out", field: "path" }),
    ]);
  });

  it("summarises format, path and mode", () => {
    expect(write.summary({ path: "out/reviews", format: "csv", mode: "overwrite" })).toBe("csv -> out/reviews (overwrite)");
  });
});
