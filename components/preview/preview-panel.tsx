"use client";
// The preview panel under the canvas: sample rows after the selected node (clicking a node or
// pressing P opens it), how many source rows produced them, whether the server's cache
// answered, the schema, and for a source its dataset facts read from parquet footers only.
// Errors are pinned to their node with the line of the user's own Python.
import { useQuery } from "@tanstack/react-query";
import { memo, useEffect, useRef, useState } from "react";
import { KINDS } from "@/server/pipeline";
import type { PreviewResult } from "@/server/preview/types";
import { useEditor, useEditorSelector, useReleasedValue } from "@/components/canvas/editor-context";
import { isEditableTarget, modKey } from "@/lib/keys";
import { useTRPC } from "@/lib/trpc";
import { DataGrid } from "./data-grid";
import { previewStore, usePreviewView, type PreviewTab } from "./preview-store";
import { usePreview } from "./use-preview";
import "./preview.css";

/** The server refused the preview for the per-user limit; its message says when to retry. */
const isRateLimited = (e: unknown) => (e as { data?: { appCode?: string | null } } | null)?.data?.appCode === "E_RATE_LIMITED";

const plural = (n: number, one: string) => `${n.toLocaleString("en-US")} ${one}${n === 1 ? "" : "s"}`;

export function PreviewPanel() {
  const { store, focusNode } = useEditor();
  const doc = useEditorSelector(store, (s) => s.doc);
  // Grabbing a node to drag it selects it too: its preview opens on the release, so neither
  // the request nor the new panel stalls the start of the drag.
  const selected = useReleasedValue(useEditorSelector(store, (s) => s.selectedNodes));
  const view = usePreviewView(doc.id);
  const node = view.nodeId ? doc.nodes.find((n) => n.id === view.nodeId) ?? null : null;

  // Clicking a node (a new single selection) opens its preview.
  const lastSelected = useRef<string | null>(null);
  useEffect(() => {
    const one = selected.length === 1 ? selected[0] : null;
    if (one && one !== lastSelected.current) {
      const n = store.doc.nodes.find((x) => x.id === one);
      previewStore.show(store.doc.id, one, { source: n?.kind === "read-parquet" });
    }
    lastSelected.current = one;
  }, [selected, store]);

  // P toggles the preview of the selected node.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || isEditableTarget(e.target) || modKey(e) || e.altKey || e.key.toLowerCase() !== "p") return;
      if (document.querySelector("dialog[open]")) return;
      const id = store.getState().selectedNodes.length === 1 ? store.getState().selectedNodes[0] : previewStore.get(store.doc.id).nodeId;
      const cur = previewStore.get(store.doc.id);
      e.preventDefault();
      if (cur.open && (!id || cur.nodeId === id)) previewStore.close(store.doc.id);
      else if (id) previewStore.show(store.doc.id, id, { source: store.doc.nodes.find((x) => x.id === id)?.kind === "read-parquet" });
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [store]);

  if (!view.open || !node) return null;
  return <OpenPanel key={node.id} nodeId={node.id} tab={view.tab} onFocusNode={focusNode} />;
}

// memo: the panel above re-renders when the selection changes; the open panel has nothing to
// change then, and re-rendering its grid stalled the first frame of a drag.
const OpenPanel = memo(function OpenPanel({ nodeId, tab, onFocusNode }: { nodeId: string; tab: PreviewTab; onFocusNode: (id: string) => void }) {
  const { store } = useEditor();
  const doc = useEditorSelector(store, (s) => s.doc);
  const node = doc.nodes.find((n) => n.id === nodeId)!;
  const isSource = node.kind === "read-parquet";
  const [refreshing, setRefreshing] = useState(false);
  const q = usePreview(doc, nodeId, 200);
  const refresh = () => {
    setRefreshing(true);
    void q.refresh().finally(() => setRefreshing(false));
  };
  const result = q.data ?? null;
  useEffect(() => previewStore.setResult(doc.id, nodeId, result), [doc.id, nodeId, result]);
  const setTab = (t: PreviewTab) => previewStore.setTab(doc.id, t);
  const label = node.name ? `${node.name} (${nodeId})` : nodeId;

  const [height, startResize] = usePanelHeight();
  return (
    <section className="pv-panel" aria-label="Preview" style={{ height }}>
      <div className="pv-resize" role="separator" aria-orientation="horizontal" aria-label="Resize the preview" onPointerDown={startResize} />
      <div className="pv-bar">
        <strong className="pv-title">Preview</strong>
        <span className="pv-node" title={`${KINDS[node.kind].label} node ${nodeId}`}>{KINDS[node.kind].label} · {label}</span>
        <div className="pv-tabs" role="tablist" aria-label="Preview tabs">
          <TabButton tab="rows" current={tab} onSelect={setTab}>Rows</TabButton>
          <TabButton tab="schema" current={tab} onSelect={setTab}>Schema</TabButton>
          {isSource ? <TabButton tab="dataset" current={tab} onSelect={setTab}>Dataset</TabButton> : null}
        </div>
        <Status result={result} fetching={q.isFetching || refreshing} failed={q.error?.message ?? null} />
        <div className="bar-spacer" />
        <button type="button" className="btn small" onClick={refresh} disabled={q.isFetching || refreshing} title="Run the preview again, ignoring the cache">Refresh</button>
        <button type="button" className="btn ghost small" onClick={() => previewStore.close(doc.id)} aria-label="Close preview" title="Close (P)">✕</button>
      </div>
      <div className="pv-content" role="tabpanel" aria-label={tab === "rows" ? "Preview rows" : tab === "schema" ? "Preview schema" : "Preview dataset"}>
        {tab === "dataset" && isSource ? <DatasetFacts path={node.kind === "read-parquet" ? node.params.path : ""} connection={node.kind === "read-parquet" ? node.params.connection : undefined} /> : null}
        {tab !== "dataset" && result && !result.ok ? <PreviewErrorView result={result} onFocusNode={onFocusNode} /> : null}
        {tab !== "dataset" && q.error ? (
          <div className="alert bad pv-alert" role="alert">{isRateLimited(q.error) ? q.error.message : `The preview request failed: ${q.error.message}`}</div>
        ) : null}
        {tab === "rows" && result?.ok ? (
          result.rows.length ? <DataGrid columns={result.columns} rows={result.rows} label={`Sample rows after ${nodeId}`} /> : <p className="panel-empty muted">No rows came out of this node on the sample.</p>
        ) : null}
        {tab === "schema" && result?.ok ? <SchemaTable columns={result.columns} /> : null}
        {tab !== "dataset" && !result && !q.error ? <p className="panel-empty muted">Running the pipeline up to {nodeId} on a sample…</p> : null}
      </div>
    </section>
  );
});

const HEIGHT_KEY = "etl.preview.height";

/** The panel's height, resizable by dragging its top edge and remembered in this browser. */
function usePanelHeight(): [number, (e: React.PointerEvent) => void] {
  const [height, setHeight] = useState(() => {
    const saved = typeof window === "undefined" ? NaN : Number(window.localStorage.getItem(HEIGHT_KEY));
    return Number.isFinite(saved) && saved >= 120 ? saved : 210;
  });
  const start = (e: React.PointerEvent) => {
    e.preventDefault();
    const y0 = e.clientY;
    const h0 = height;
    let last = h0;
    const move = (m: PointerEvent) => {
      last = Math.round(Math.min(window.innerHeight * 0.8, Math.max(120, h0 + y0 - m.clientY)));
      setHeight(last);
    };
    const up = () => {
      window.removeEventListener("pointermove", move);
      window.removeEventListener("pointerup", up);
      window.localStorage.setItem(HEIGHT_KEY, String(last));
    };
    window.addEventListener("pointermove", move);
    window.addEventListener("pointerup", up);
  };
  return [height, start];
}

function TabButton(props: { tab: PreviewTab; current: PreviewTab; onSelect: (t: PreviewTab) => void; children: React.ReactNode }) {
  const on = props.tab === props.current;
  return (
    <button type="button" role="tab" aria-selected={on} className={`dock-tab${on ? " on" : ""}`} onClick={() => props.onSelect(props.tab)}>{props.children}</button>
  );
}

function Status({ result, fetching, failed }: { result: PreviewResult | null; fetching: boolean; failed: string | null }) {
  let text: string;
  if (failed) text = "Request failed";
  else if (!result) text = "Running…";
  else if (!result.ok) text = result.error.code === "TIMEOUT" ? "Stopped (time limit)" : "Failed";
  else text = `${plural(result.sampleRows, "sample row")} (read ${plural(result.sourceRowsRead, "source row")})`;
  return (
    <span className="pv-status" role="status" aria-label="Preview status">
      <span>{text}</span>
      {result?.ok && result.outputRows > result.sampleRows ? <span className="muted"> · {plural(result.outputRows, "row")} came out</span> : null}
      {result ? <span className="muted"> · {Math.round(result.ms)} ms</span> : null}
      {result?.cached ? <span className="pv-cached" title="Served from the preview cache: nothing upstream changed">cached</span> : null}
      {fetching && result ? <span className="muted pv-refreshing"> · updating…</span> : null}
    </span>
  );
}

function PreviewErrorView({ result, onFocusNode }: { result: Extract<PreviewResult, { ok: false }>; onFocusNode: (id: string) => void }) {
  const e = result.error;
  const title: Record<string, string> = {
    UDF_ERROR: "Python error", NODE_ERROR: "Node failed", TIMEOUT: "Stopped: too slow", INVALID: "Cannot preview yet",
    SOURCE_ERROR: "Source unreadable", CANCELLED: "Replaced by a newer preview",
  };
  return (
    <div className="alert bad pv-alert" role="alert" aria-label="Preview error">
      <div className="pv-alert-head">
        <strong>{title[e.code] ?? "Preview failed"}</strong>
        {e.nodeId ? (
          <button type="button" className="link" onClick={() => onFocusNode(e.nodeId!)}>in node {e.nodeId}</button>
        ) : null}
        {e.line ? <span className="pv-line">line {e.line}</span> : null}
      </div>
      <div className="pv-message">{e.message}</div>
      {e.traceback?.length ? (
        <details>
          <summary>Traceback</summary>
          <pre>{e.traceback.join("\n")}</pre>
        </details>
      ) : null}
    </div>
  );
}

function SchemaTable({ columns }: { columns: readonly { name: string; type: string }[] }) {
  return (
    <table className="pv-schema" aria-label="Columns after this node">
      <thead><tr><th>#</th><th>column</th><th>type</th></tr></thead>
      <tbody>
        {columns.map((c, i) => <tr key={c.name}><td className="muted">{i + 1}</td><td>{c.name}</td><td className="mono">{c.type}</td></tr>)}
      </tbody>
    </table>
  );
}

function humanBytes(n: number): string {
  const units = ["bytes", "KiB", "MiB", "GiB", "TiB"];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${n} bytes` : `${v.toFixed(1)} ${units[u]}`;
}

function DatasetFacts({ path, connection }: { path: string; connection?: string }) {
  const trpc = useTRPC();
  const input = { path: path.trim() || " ", ...(connection ? { connection } : {}) };
  const q = useQuery({ ...trpc.sources.facts.queryOptions(input), enabled: path.trim() !== "", staleTime: 30_000 });
  // The sample row reads data pages: asked for on its own so the footer facts never wait on it.
  const one = useQuery({ ...trpc.sources.sample.queryOptions(input), enabled: path.trim() !== "" && q.data?.ok === true, staleTime: 30_000 });
  if (!path.trim()) return <p className="panel-empty muted">Choose a path to read.</p>;
  if (q.isLoading) return <p className="panel-empty muted">Reading parquet footers…</p>;
  if (q.error) return <div className="alert bad pv-alert" role="alert">{q.error.message}</div>;
  const r = q.data;
  if (!r) return null;
  if (!r.ok) return <div className="alert bad pv-alert" role="alert">{r.message}</div>;
  const f = r.facts;
  return (
    <div className="pv-facts" aria-label="Dataset facts">
      <dl>
        <dt>Rows</dt><dd>{f.numRows === null ? "unknown" : f.numRows.toLocaleString("en-US")} <span className="muted">(from parquet metadata)</span></dd>
        <dt>Size</dt><dd>{f.sizeBytes === null ? "unknown" : `${humanBytes(f.sizeBytes)} (${f.sizeBytes.toLocaleString("en-US")} bytes)`}</dd>
        <dt>Files</dt><dd>{f.files ?? "unknown"}</dd>
        <dt>Partitions</dt>
        <dd>{f.partitionKeys.length ? `${f.partitionCount.toLocaleString("en-US")} (${f.partitionKeys.join(", ")}: ${f.partitionKeys.map((k) => (f.partitionValues[k] ?? []).join(", ")).join("; ")})` : "none"}</dd>
      </dl>
      <div className="pv-facts-cols">
        <SchemaTable columns={f.schema} />
        <table className="pv-schema" aria-label="Sample row">
          <thead><tr><th colSpan={2}>one sample row</th></tr></thead>
          <tbody>
            <SampleRows q={one} />
          </tbody>
        </table>
      </div>
    </div>
  );
}

function SampleRows({ q }: { q: { isLoading: boolean; error: { message: string } | null; data?: { ok: true; sample: Record<string, unknown> | null } | { ok: false; message: string } } }) {
  if (q.isLoading) return <tr><td colSpan={2} className="muted">Reading one row…</td></tr>;
  const message = q.error?.message ?? (q.data && !q.data.ok ? q.data.message : null);
  if (message) return <tr><td colSpan={2} className="bad">{message}</td></tr>;
  const sample = q.data?.ok ? q.data.sample : null;
  if (!sample) return <tr><td colSpan={2} className="muted">{q.data ? "no rows (or an S3 source: no data is read)" : ""}</td></tr>;
  return (
    <>
      {Object.entries(sample).map(([k, v]) => (
        <tr key={k}><td>{k}</td><td className="pv-sample-val">{v === null ? <span className="pv-null">null</span> : typeof v === "string" ? v : JSON.stringify(v)}</td></tr>
      ))}
    </>
  );
}
