"use client";
// The run panel under the canvas: the open run (state, duration, its error pinned to a node —
// a click selects the node and, for a UDF, the line — stages with rows and times, the log
// tail, Cancel and Re-run) and the pipeline's runs with their durations (a click re-opens one,
// replaying its state on the canvas).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { EditorView } from "@codemirror/view";
import { useEffect, useRef } from "react";
import type { RunSnapshot } from "@/server/runs/snapshot";
import { TERMINAL_RUN_STATES } from "@/server/runs/snapshot";
import { useEditor } from "@/components/canvas/editor-context";
import { useToast } from "@/components/ui/toast";
import { useTRPC } from "@/lib/trpc";
import { formatDuration, formatRows } from "./run-progress";
import { runStore, useRunView } from "./run-store";
import "./runs.css";
import { useCan } from "@/components/auth/auth-context";

const STATE_TEXT: Record<RunSnapshot["state"], string> = {
  queued: "Queued", submitted: "Submitted", running: "Running", succeeded: "Succeeded", failed: "Failed", cancelled: "Cancelled",
};

/** Selects `line` in the inspector's Python editor once it is on screen. */
function revealUdfLine(line: number, tries = 30): void {
  const content = [...document.querySelectorAll<HTMLElement>(".cm-content")].find((c) => c.getAttribute("aria-label") === "Python source");
  const root = content?.closest<HTMLElement>(".cm-editor");
  const view = root ? EditorView.findFromDOM(root) : null;
  if (!view) {
    if (tries > 0) setTimeout(() => revealUdfLine(line, tries - 1), 60);
    return;
  }
  const l = view.state.doc.line(Math.max(1, Math.min(line, view.state.doc.lines)));
  view.dispatch({ selection: { anchor: l.from, head: l.to }, scrollIntoView: true });
  view.focus();
}

const clock = (iso: string | null) => (iso ? new Date(iso).toLocaleTimeString() : "—");

function Duration({ run }: { run: Pick<RunSnapshot, "durationMs" | "state"> }) {
  return <>{run.durationMs === null ? "—" : formatDuration(run.durationMs)}</>;
}

export function RunPanel({ pipelineId }: { pipelineId: string }) {
  const run = useCan("runner");
  const view = useRunView(pipelineId);
  const snap = view.snapshot;
  const open = view.panelOpen;
  const trpc = useTRPC();
  const toast = useToast();
  const queryClient = useQueryClient();
  const cancel = useMutation(trpc.runs.cancel.mutationOptions());
  const retry = useMutation(trpc.runs.retry.mutationOptions());
  const active = Boolean(view.runId) && (!snap || !TERMINAL_RUN_STATES.includes(snap.state));

  const rerun = () => {
    if (!view.runId) return;
    retry.mutate({ runId: view.runId }, {
      onSuccess: ({ runId }) => {
        runStore.open(pipelineId, runId, { panel: true });
        void queryClient.invalidateQueries({ queryKey: trpc.runs.list.queryKey() });
      },
      onError: (e) => toast(e.message, "error"),
    });
  };

  return (
    <section className={`run-panel${open ? " open" : ""}`} aria-label="Run panel">
      <div className="run-panel-bar">
        <div className="dock-tabs-inline" role="tablist" aria-label="Run panel tabs">
          <button type="button" role="tab" aria-selected={open && view.panelTab === "run"} className={`dock-tab${open && view.panelTab === "run" ? " on" : ""}`}
            onClick={() => runStore.showPanel(pipelineId, true, "run")}>Run</button>
          <button type="button" role="tab" aria-selected={open && view.panelTab === "runs"} className={`dock-tab${open && view.panelTab === "runs" ? " on" : ""}`}
            onClick={() => runStore.showPanel(pipelineId, true, "runs")}>Runs</button>
        </div>
        {view.runId ? (
          <>
            <span className={`run-badge state-${snap?.state ?? "queued"}`} role="status" aria-label="Run state">{snap ? STATE_TEXT[snap.state] : "Opening…"}</span>
            <code className="run-id" title="Ray submission id">{view.runId}</code>
            {snap ? <span className="muted run-duration" aria-label="Run duration"><Duration run={snap} /></span> : null}
            {snap?.toNodeId ? <span className="muted">to {snap.toNodeId}</span> : null}
          </>
        ) : <span className="muted">No run open. Press Run to run the saved pipeline on Ray.</span>}
        <div className="bar-spacer" />
        {active && view.runId ? (
          <button type="button" className="btn small danger" disabled={!run.ok || cancel.isPending || snap?.cancelRequested} title={run.title}
            onClick={() => cancel.mutate({ runId: view.runId! }, { onError: (e) => toast(e.message, "error") })}>
            {snap?.cancelRequested ? "Cancelling…" : "Cancel run"}
          </button>
        ) : null}
        {!active && view.runId ? <button type="button" className="btn small" disabled={!run.ok || retry.isPending} title={run.title} onClick={rerun}>Re-run</button> : null}
        <button type="button" className="btn ghost small" aria-expanded={open} onClick={() => runStore.showPanel(pipelineId, !open)}>{open ? "Hide" : "Show"}</button>
      </div>
      {open && view.panelTab === "run" ? <RunDetail pipelineId={pipelineId} /> : null}
      {open && view.panelTab === "runs" ? <RunsList pipelineId={pipelineId} /> : null}
    </section>
  );
}

function RunDetail({ pipelineId }: { pipelineId: string }) {
  const view = useRunView(pipelineId);
  const { focusNode } = useEditor();
  const snap = view.snapshot;
  const logRef = useRef<HTMLPreElement>(null);
  useEffect(() => {
    const el = logRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [snap?.logTail]);
  if (!view.runId) return <p className="panel-empty muted">Runs of this pipeline are listed under Runs.</p>;
  if (!snap) return <p className="panel-empty muted">{view.watchError ?? "Loading the run…"}</p>;
  const err = snap.error;
  return (
    <div className="run-detail">
      <div className="run-detail-main">
        {err ? (
          <div className="alert bad run-error" role="alert" aria-label="Run error">
            {err.nodeId ? (
              <button type="button" className="link run-error-node" onClick={() => {
                focusNode(err.nodeId!);
                if (err.udfLine) revealUdfLine(err.udfLine);
              }}>
                {err.nodeId}{err.udfLine ? `, line ${err.udfLine}` : ""}
              </button>
            ) : null}
            <span className="run-error-message">{err.message}</span>
            {err.traceback.length ? <details><summary>Traceback</summary><pre>{err.traceback.join("\n")}</pre></details> : null}
          </div>
        ) : null}
        {snap.state === "cancelled" ? <p className="muted run-note">Cancelled: the Ray job was stopped and nothing was written.</p> : null}
        {snap.rayMessage && !TERMINAL_RUN_STATES.includes(snap.state) && snap.rayMessage.startsWith("Ray is not") ? <p className="run-note warn">{snap.rayMessage}</p> : null}
        <table className="run-stages" aria-label="Stages">
          <thead><tr><th>Stage</th><th>Nodes</th><th>State</th><th className="num">Rows out</th><th className="num">Time</th></tr></thead>
          <tbody>
            {snap.stages.map((s) => {
              const start = s.startedAt ? Date.parse(s.startedAt) : null;
              const end = s.endedAt ? Date.parse(s.endedAt) : null;
              return (
                <tr key={s.key} className={`state-${s.state}`}>
                  <td className="run-stage-name" title={s.stage}>{s.stage}</td>
                  <td>{s.nodes.map((n) => <button key={n} type="button" className="link" onClick={() => focusNode(n)}>{n}</button>)}</td>
                  <td>{s.state}</td>
                  <td className="num">{s.rowsOut === null ? "—" : formatRows(s.rowsOut)}</td>
                  <td className="num">{start !== null && end !== null ? formatDuration(end - start) : "—"}</td>
                </tr>
              );
            })}
            {snap.stages.length === 0 ? <tr><td colSpan={5} className="muted">{snap.state === "queued" ? "Waiting for a free slot…" : "No stage has reported yet."}</td></tr> : null}
          </tbody>
        </table>
        <p className="muted run-times">
          {snap.trigger} · version {snap.pipelineVersion} · queued {clock(snap.createdAt)} · started {clock(snap.startedAt)} · ended {clock(snap.endedAt)}
          {snap.rowsWritten ? ` · wrote ${Object.entries(snap.rowsWritten).map(([k, v]) => `${formatRows(v)} rows to ${k}`).join(", ")}` : ""}
        </p>
      </div>
      <pre className="run-log" ref={logRef} aria-label="Log tail">{snap.logTail || "(no log yet)"}</pre>
    </div>
  );
}

function RunsList({ pipelineId }: { pipelineId: string }) {
  const trpc = useTRPC();
  const view = useRunView(pipelineId);
  const q = useQuery({ ...trpc.runs.list.queryOptions({ pipelineId, limit: 50 }), refetchInterval: 3_000 });
  if (q.isLoading) return <p className="panel-empty muted">Loading runs…</p>;
  if (q.error) return <p className="panel-empty bad">{q.error.message}</p>;
  const runs = q.data ?? [];
  if (!runs.length) return <p className="panel-empty muted">This pipeline has not run yet.</p>;
  return (
    <div className="run-list-wrap">
    <table className="run-list" aria-label="Runs">
      <thead><tr><th>State</th><th>Run</th><th>Trigger</th><th>Version</th><th>Queued</th><th className="num">Duration</th><th className="num">Rows written</th><th /></tr></thead>
      <tbody>
        {runs.map((r) => (
          <tr key={r.id} className={r.id === view.runId ? "current" : undefined}>
            <td><span className={`run-badge state-${r.state}`}>{STATE_TEXT[r.state]}</span></td>
            <td><code>{r.id}</code>{r.toNodeId ? <span className="muted"> to {r.toNodeId}</span> : null}</td>
            <td>{r.trigger}</td>
            <td>v{r.pipelineVersion}</td>
            <td>{new Date(r.createdAt).toLocaleString()}</td>
            <td className="num" aria-label={`Duration of ${r.id}`}><Duration run={r} /></td>
            <td className="num">{r.rowsWritten ? formatRows(Object.values(r.rowsWritten).reduce((a, b) => a + b, 0)) : "—"}</td>
            <td><button type="button" className="btn small" onClick={() => runStore.open(pipelineId, r.id, { panel: true })} aria-label={`Open run ${r.id}`}>Open</button></td>
          </tr>
        ))}
      </tbody>
    </table>
    </div>
  );
}
