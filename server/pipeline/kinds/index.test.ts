// Tests for the node kind registry.
import { describe, expect, it } from "vitest";
import { NODE_KINDS, NodeSchema, SINK_KINDS, SOURCE_KINDS } from "../schema";
import { KINDS, nodeOutput, nodeSummary } from "./index";

describe("kind registry", () => {
  it("has a spec for every kind, keyed by its own kind", () => {
    expect(Object.keys(KINDS).sort()).toEqual([...NODE_KINDS].sort());
    for (const k of NODE_KINDS) expect(KINDS[k].kind).toBe(k);
  });

  it("agrees with the schema on sources and sinks", () => {
    for (const k of NODE_KINDS) {
      const expected = SOURCE_KINDS.includes(k) ? "source" : SINK_KINDS.includes(k) ? "sink" : "transform";
      expect(KINDS[k].category).toBe(expected);
    }
  });

  it("gives defaults the schema accepts unchanged", () => {
    for (const k of NODE_KINDS) {
      const params = KINDS[k].defaults();
      expect(NodeSchema.parse({ id: "n", kind: k, params }).params).toEqual(params);
    }
  });

  it("dispatches by kind", () => {
    const node = NodeSchema.parse({ id: "s", kind: "sort", params: { keys: [{ column: "a", descending: true }] } });
    expect(nodeSummary(node)).toBe("sort by a desc");
    expect(nodeOutput(node, [{ name: "a", type: "int64", nullable: false }], {}).diagnostics).toEqual([]);
  });
});
