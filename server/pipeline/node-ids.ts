// Node id rules shared by parseDocument and analyze: ids become Python identifiers in the
// generated script and keys everywhere else, so they must be valid and unique.
import { diag, type Diagnostic } from "./diagnostics";
import { NODE_ID_PATTERN } from "./schema";
import { clip } from "./suggest";

const ID_HINT = "Ids start with a letter or _, then letters, digits or _ (at most 64 characters)";

/**
 * Reports invalid and repeated node ids; `ids[i]` is the raw id of nodes[i]. Indexes in `skip`
 * (nodes already reported as malformed) are ignored.
 * Example: checkNodeIds(["read", "read", "2x"]) -> [E_NODE_ID_DUPLICATE on "read", E_NODE_ID_INVALID on "2x"]
 */
export function checkNodeIds(ids: readonly unknown[], skip: ReadonlySet<number> = new Set()): Diagnostic[] {
  const out: Diagnostic[] = [];
  const first = new Map<string, number>();
  ids.forEach((id, i) => {
    if (skip.has(i)) return;
    if (typeof id !== "string") {
      const message = id === undefined ? `Node ${i + 1} has no id` : `The id of node ${i + 1} must be text`;
      out.push(diag("E_NODE_ID_INVALID", message, { hint: ID_HINT }));
      return;
    }
    const seen = first.get(id);
    if (seen !== undefined) {
      out.push(diag("E_NODE_ID_DUPLICATE", `Nodes ${seen + 1} and ${i + 1} share the id '${clip(id)}'`, { nodeId: id, hint: "Give every node its own id" }));
      return;
    }
    first.set(id, i);
    if (!NODE_ID_PATTERN.test(id)) {
      out.push(diag("E_NODE_ID_INVALID", `'${clip(id)}' is not a valid node id`, { nodeId: id, hint: ID_HINT }));
    }
  });
  return out;
}
