"use client";
// The audit trail for admins: when, who, what, on which pipeline/run/version, and for runs the
// exact script that ran (expandable). Filters by pipeline, person and action; "Older" pages on
// with the server's cursor. Non-admins get the server's FORBIDDEN message.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useTRPC } from "@/lib/trpc";
import { RunLink, When } from "@/components/dashboard/run-bits";
import "@/components/ui/theme.css";
import "@/components/runs/runs.css";
import "@/components/dashboard/dashboard.css";
import "./audit.css";

const ACTIONS = [
  "pipeline.create", "pipeline.import", "pipeline.save", "pipeline.rename", "pipeline.duplicate", "pipeline.delete", "pipeline.restore",
  "run.start", "run.retry", "run.cancel",
  "schedule.create", "schedule.update", "schedule.enable", "schedule.disable", "schedule.delete",
  "webhook.set", "webhook.delete", "connection.create", "connection.update", "connection.delete",
];

/** "{"from":"A","to":"B"}" as "from: A · to: B" */
function detailText(d: Record<string, unknown>): string {
  return Object.entries(d).map(([k, v]) => `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`).join(" · ");
}

export function AuditTable() {
  const trpc = useTRPC();
  const [pipelineId, setPipelineId] = useState("");
  const [actorId, setActorId] = useState("");
  const [action, setAction] = useState("");
  /** Cursors of the pages before this one (the first page has none). */
  const [cursors, setCursors] = useState<number[]>([]);
  const cursor = cursors[cursors.length - 1];
  const pipelines = useQuery(trpc.pipelines.list.queryOptions());
  const q = useQuery(trpc.audit.list.queryOptions({
    pipelineId: pipelineId || undefined, actorId: actorId.trim() || undefined, action: action || undefined, cursor, limit: 50,
  }));
  const reset = () => setCursors([]);

  return (
    <div className="page wide-page">
      <div className="page-head">
        <h1>Audit trail</h1>
        <div className="bar-spacer" />
        <Link className="btn" href="/runs">Runs</Link>
      </div>
      <form className="filters" aria-label="Filter the audit trail" onSubmit={(e) => e.preventDefault()}>
        <label>Pipeline
          <select className="input" value={pipelineId} onChange={(e) => { setPipelineId(e.target.value); reset(); }}>
            <option value="">All pipelines</option>
            {(pipelines.data ?? []).map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
          </select>
        </label>
        <label>Who (user id)
          <input className="input" value={actorId} placeholder="any" onChange={(e) => { setActorId(e.target.value); reset(); }} />
        </label>
        <label>Action
          <select className="input" value={action} onChange={(e) => { setAction(e.target.value); reset(); }}>
            <option value="">Any action</option>
            {ACTIONS.map((a) => <option key={a} value={a}>{a}</option>)}
          </select>
        </label>
        <button type="button" className="btn" onClick={() => { setPipelineId(""); setActorId(""); setAction(""); reset(); }}>Clear filters</button>
      </form>

      {q.error ? <div className="alert bad" role="alert">{q.error.message}</div> : null}
      <table className="list-table" aria-label="Audit trail">
        <thead>
          <tr><th>When</th><th>Who</th><th>Action</th><th>Target</th><th>Version / run</th><th>Details</th></tr>
        </thead>
        <tbody>
          {(q.data?.rows ?? []).map((r) => (
            <tr key={r.id} aria-label={`Audit ${r.id}`}>
              <td><When iso={r.at} /></td>
              <td>{r.actorEmail}{r.actorEmail !== r.actorId ? <div className="muted small">{r.actorId}</div> : null}</td>
              <td><code>{r.action}</code></td>
              <td>
                {r.pipelineId && r.targetType === "pipeline" ? <Link href={`/pipelines/${encodeURIComponent(r.pipelineId)}`}>{r.pipelineId}</Link> : `${r.targetType} ${r.targetId}`}
                {r.pipelineId && r.targetType !== "pipeline" ? <div className="muted small">pipeline {r.pipelineId}</div> : null}
              </td>
              <td>
                {r.version !== null ? <span>v{r.version}</span> : null}
                {r.runId ? <div><RunLink id={r.runId} /></div> : null}
              </td>
              <td className="audit-detail">
                <span className="muted small">{detailText(r.detail)}</span>
                {r.script ? (
                  <details><summary>Script</summary><pre className="code-block" aria-label={`Script of ${r.runId ?? r.targetId}`}>{r.script}</pre></details>
                ) : null}
              </td>
            </tr>
          ))}
          {q.data && q.data.rows.length === 0 ? <tr><td colSpan={6} className="muted">Nothing recorded matches these filters.</td></tr> : null}
        </tbody>
      </table>
      <nav className="pager" aria-label="Pages">
        <button type="button" className="btn small" disabled={!cursors.length} onClick={() => setCursors((c) => c.slice(0, -1))}>← Newer</button>
        <span role="status" aria-label="Page">{q.data ? `Page ${cursors.length + 1}` : "Loading…"}</span>
        <button type="button" className="btn small" disabled={!q.data?.nextCursor} onClick={() => q.data?.nextCursor && setCursors((c) => [...c, q.data!.nextCursor!])}>Older →</button>
      </nav>
    </div>
  );
}
