"use client";
// The inspector: one form per node kind for the selected node, fed by the schema flowing into
// it; node-level problems at the top; the pipeline overview when nothing (or several) is selected.
import { memo, useCallback, useMemo, type ReactNode } from "react";
import { KINDS, nodeOutput, type DiagnosticCode, type NodeKind, type PipelineNode } from "@/server/pipeline";
import { useEditor, useEditorSelector, useReleasedValue } from "@/components/canvas/editor-context";
import { KIND_GLYPH, nodeTone } from "@/components/canvas/kind-style";
import { sourceKey } from "@/components/canvas/use-analysis";
import { AddColumnForm } from "./add-column-form";
import { DropColumnsForm } from "./drop-columns-form";
import { FieldErrors, TextField } from "./fields";
import type { FormProps } from "./form-props";
import { ReadParquetForm } from "./read-parquet-form";
import { SortForm } from "./sort-form";
import { UdfFilterForm } from "./udf-filter-form";
import { WriteForm } from "./write-form";

const FORMS: { [K in NodeKind]: (p: FormProps<K>) => ReactNode } = {
  "read-parquet": ReadParquetForm,
  "add-column": AddColumnForm,
  "drop-columns": DropColumnsForm,
  sort: SortForm,
  "udf-filter": UdfFilterForm,
  write: WriteForm,
};

/** Problems about the node's place in the graph; everything else comes from the node's own check. */
const GRAPH_CODES: ReadonlySet<DiagnosticCode> = new Set<DiagnosticCode>([
  "E_NODE_ID_INVALID", "E_NODE_ID_DUPLICATE", "E_EDGE_DANGLING", "E_EDGE_SELF", "E_EDGE_DUPLICATE", "E_CYCLE",
  "E_INPUT_MISSING", "E_INPUT_MULTIPLE", "E_SOURCE_HAS_INPUT", "E_SINK_HAS_OUTPUT", "W_NODE_UNUSED", "E_WRITE_PATH_CONFLICT",
]);

export function Inspector() {
  const { store } = useEditor();
  const doc = useEditorSelector(store, (s) => s.doc);
  const selectedNodes = useReleasedValue(useEditorSelector(store, (s) => s.selectedNodes));
  const selected = selectedNodes.length === 1 ? doc.nodes.find((n) => n.id === selectedNodes[0]) : undefined;
  return (
    <aside className="inspector" aria-label="Inspector">
      {selected ? <NodeInspector key={selected.id} node={selected} /> : <Overview count={selectedNodes.length} />}
    </aside>
  );
}

// memo: grabbing another node re-renders the Inspector (its selection changed) while the form
// keeps showing the held node; re-rendering that form, CodeMirror and all, stalled the grab.
const NodeInspector = memo(function NodeInspector({ node }: { node: PipelineNode }) {
  const { store, analysis } = useEditor();
  const spec = KINDS[node.kind];
  const input = analysis.analysis.inputSchemas.get(node.id) ?? null;
  // The node checked on its own, on every keystroke: instant even when the whole pipeline is
  // large. Its input schema does not depend on its own settings, so the last analysis has it.
  const own = useMemo(() => nodeOutput(node, input, analysis.context), [node, input, analysis.context]);
  const graph = analysis.byNode.get(node.id);
  const diags = useMemo(() => [...(graph ?? []).filter((d) => GRAPH_CODES.has(d.code)), ...own.diagnostics], [graph, own]);
  const output = own.schema;
  const set = useCallback((patch: object, field: string) => store.updateParams(node.id, patch as Record<string, unknown>, field), [store, node.id]);
  const commit = useCallback(() => store.breakCoalescing(), [store]);
  const Form = FORMS[node.kind] as (p: FormProps<NodeKind>) => ReactNode;
  const source = node.kind === "read-parquet" ? analysis.sources[node.id] : undefined;
  const nodeLevel = diags.filter((d) => !d.field);
  return (
    <div className="inspector-body">
      <header className={`inspector-head tone-${nodeTone(node)}`}>
        <span className="pnode-glyph" aria-hidden>{KIND_GLYPH[node.kind]}</span>
        <div>
          <h2 className="inspector-title">{spec.label}</h2>
          <div className="muted small">{spec.description}</div>
        </div>
        <code className="node-id" title="Node id (used in the generated script)">{node.id}</code>
      </header>
      {nodeLevel.length ? (
        <div className="node-problems" aria-label="Problems on this node">
          <FieldErrors diagnostics={nodeLevel} />
        </div>
      ) : null}
      <form className="form" onSubmit={(e) => e.preventDefault()} aria-label={`${spec.label} settings`}>
        <TextField label="Label" value={node.name ?? ""} placeholder="optional, shown on the canvas" onChange={(v) => store.renameNode(node.id, v)} onBlur={commit} />
        <Form
          node={node} input={input} diagnostics={diags} set={set} commit={commit}
          source={source} sourceLoading={node.kind === "read-parquet" && analysis.loadingPaths.has(sourceKey(node.params.path, node.params.connection))}
          pythonPending={analysis.pythonPending.has(node.id)}
        />
      </form>
      <SchemaSection title="Input columns" schema={spec.category === "source" ? undefined : input} />
      <SchemaSection title="Output columns" schema={output} />
    </div>
  );
});

function SchemaSection({ title, schema }: { title: string; schema: readonly { name: string; type: string; nullable: boolean }[] | null | undefined }) {
  if (schema === undefined) return null;
  return (
    <details className="schema-section">
      <summary>{title} {schema ? <span className="muted">({schema.length})</span> : <span className="muted">(unknown)</span>}</summary>
      {schema ? (
        <table className="schema-table">
          <tbody>
            {schema.map((c) => <tr key={c.name}><td className="col-name">{c.name}</td><td className="col-type">{c.type}{c.nullable ? "" : " · not null"}</td></tr>)}
          </tbody>
        </table>
      ) : <p className="muted small">Known once the node and everything before it are valid.</p>}
    </details>
  );
}

function Overview({ count }: { count: number }) {
  const { store, analysis } = useEditor();
  const doc = useEditorSelector(store, (s) => s.doc);
  const errors = analysis.analysis.diagnostics.filter((d) => d.severity === "error").length;
  return (
    <div className="inspector-body">
      <header className="inspector-head">
        <div>
          <h2 className="inspector-title">{count > 1 ? `${count} nodes selected` : "Pipeline"}</h2>
          <div className="muted small">{count > 1 ? "Delete, copy or duplicate them together." : "Select a node to configure it."}</div>
        </div>
      </header>
      <dl className="facts overview">
        <div><dt>Nodes</dt><dd>{doc.nodes.length}</dd></div>
        <div><dt>Edges</dt><dd>{doc.edges.length}</dd></div>
        <div><dt>Errors</dt><dd className={errors ? "bad" : "good"}>{errors}</dd></div>
      </dl>
      <label className="field">
        <span className="field-label">Description</span>
        <textarea
          className="input" rows={3} value={doc.description ?? ""} placeholder="What this pipeline is for"
          onChange={(e) => store.apply("Edit description", { ...store.doc, description: e.target.value || undefined }, { coalesce: "description" })}
          onBlur={() => store.breakCoalescing()}
        />
      </label>
    </div>
  );
}
