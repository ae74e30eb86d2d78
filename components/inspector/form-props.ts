// What every per-kind inspector form receives.
import type { Diagnostic, NodeKind, NodeOfKind, ParamsOf, Schema, SourceLookup } from "@/server/pipeline";

export interface FormProps<K extends NodeKind> {
  readonly node: NodeOfKind<K>;
  /** The schema flowing into the node (null: unknown, or a source). */
  readonly input: Schema | null;
  readonly diagnostics: readonly Diagnostic[];
  /** Edits the node's params; `field` groups keystrokes in one field into one undo step. */
  readonly set: (patch: Partial<ParamsOf<K>>, field: string) => void;
  /** A field lost focus: the next edit starts a new undo step. */
  readonly commit: () => void;
  /** read-parquet: what the server found at the path. */
  readonly source?: SourceLookup;
  readonly sourceLoading?: boolean;
  /** UDF nodes: the Python check has not come back yet. */
  readonly pythonPending?: boolean;
}
