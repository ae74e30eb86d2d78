"use client";
// The runs table: filter by pipeline, state, trigger and queued time; sort by a column header;
// pages served by the server (25 a page). Filters live in the URL (?pipeline=&state=&trigger=
// &from=&to=&sort=&dir=&page=) so a dashboard count links straight to its runs.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useState } from "react";
import { RUN_STATES, RUN_TRIGGERS, type RunState, type RunTrigger } from "@/server/runs/snapshot";
import { useTRPC } from "@/lib/trpc";
import { fmtDuration, fmtRows, RunLink, StateBadge, STATE_TEXT, When } from "./run-bits";
import "@/components/ui/theme.css";
import "@/components/runs/runs.css";
import "./dashboard.css";

type Sort = "createdAt" | "startedAt" | "endedAt" | "pipeline" | "state";
interface Filters { pipeline: string; state: string; trigger: string; from: string; to: string; sort: Sort; dir: "asc" | "desc"; page: number }
const DEFAULTS: Filters = { pipeline: "", state: "", trigger: "", from: "", to: "", sort: "createdAt", dir: "desc", page: 1 };
const PAGE_SIZE = 25;

function fromUrl(search: string): Filters {
  const p = new URLSearchParams(search);
  const sort = p.get("sort") as Sort | null;
  return {
    pipeline: p.get("pipeline") ?? "", state: p.get("state") ?? "", trigger: p.get("trigger") ?? "",
    from: p.get("from") ?? "", to: p.get("to") ?? "",
    sort: sort && ["createdAt", "startedAt", "endedAt", "pipeline", "state"].includes(sort) ? sort : "createdAt",
    dir: p.get("dir") === "asc" ? "asc" : "desc", page: Math.max(1, Number(p.get("page")) || 1),
  };
}

function toUrl(f: Filters): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v !== "" && v !== (DEFAULTS as unknown as Record<string, unknown>)[k]) p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : "";
}

/** datetime-local value (browser zone) <-> ISO instant. */
const localInput = (iso: string) => {
  if (!iso) return "";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? "" : new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};
const fromLocalInput = (v: string) => (v ? new Date(v).toISOString() : "");

export function RunsTable() {
  const trpc = useTRPC();
  const [f, setF] = useState<Filters | null>(null);
  useEffect(() => setF(fromUrl(window.location.search)), []);
  useEffect(() => {
    if (f) window.history.replaceState(null, "", `/runs${toUrl(f)}`);
  }, [f]);
  const pipelines = useQuery(trpc.pipelines.list.queryOptions());
  const q = useQuery({
    ...trpc.dashboard.runs.queryOptions(f ? {
      pipelineId: f.pipeline || undefined,
      states: f.state ? [f.state as RunState] : undefined,
      trigger: (f.trigger || undefined) as RunTrigger | undefined,
      from: f.from || undefined, to: f.to || undefined, sort: f.sort, dir: f.dir, page: f.page, pageSize: PAGE_SIZE,
    } : { pageSize: PAGE_SIZE }),
    enabled: f !== null,
    placeholderData: keepPreviousData,
    refetchInterval: 3_000,
  });
  const set = (patch: Partial<Filters>) => setF((old) => ({ ...(old ?? DEFAULTS), page: 1, ...patch }));
  const pages = q.data ? Math.max(1, Math.ceil(q.data.total / PAGE_SIZE)) : 1;

  const header = (label: string, key: Sort | null, className?: string) => {
    if (!key || !f) return <th className={className}>{label}</th>;
    const on = f.sort === key;
    return (
      <th className={className} aria-sort={on ? (f.dir === "asc" ? "ascending" : "descending") : "none"}>
        <button type="button" className="sort-btn" onClick={() => set({ sort: key, dir: on && f.dir === "desc" ? "asc" : "desc" })}>
          {label}{on ? (f.dir === "asc" ? " ▲" : " ▼") : ""}
        </button>
      </th>
    );
  };

  return (
    <div className="page wide-page">
      <div className="page-head">
        <h1>Runs</h1>
        <div className="bar-spacer" />
        <Link className="btn" href="/">Dashboard</Link>
      </div>
      <form className="filters" aria-label="Filter runs" onSubmit={(e) => e.preventDefault()}>
        <label>Pipeline
          <select className="input" value={f?.pipeline ?? ""} onChange={(e) => set({ pipeline: e.target.value })}>
            <option value="">All pipelines</option>
            {(pipelines.data ?? []).map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
          </select>
        </label>
        <label>State
          <select className="input" value={f?.state ?? ""} onChange={(e) => set({ state: e.target.value })}>
            <option value="">Any state</option>
            {RUN_STATES.map((s) => <option key={s} value={s}>{STATE_TEXT[s]}</option>)}
          </select>
        </label>
        <label>Trigger
          <select className="input" value={f?.trigger ?? ""} onChange={(e) => set({ trigger: e.target.value })}>
            <option value="">Any trigger</option>
            {RUN_TRIGGERS.map((t) => <option key={t} value={t}>{t}</option>)}
          </select>
        </label>
        <label>Queued from
          <input className="input" type="datetime-local" value={localInput(f?.from ?? "")} onChange={(e) => set({ from: fromLocalInput(e.target.value) })} />
        </label>
        <label>Queued before
          <input className="input" type="datetime-local" value={localInput(f?.to ?? "")} onChange={(e) => set({ to: fromLocalInput(e.target.value) })} />
        </label>
        <button type="button" className="btn" onClick={() => setF(DEFAULTS)}>Clear filters</button>
      </form>

      {q.error ? <div className="alert bad" role="alert">{q.error.message}</div> : null}
      <table className="list-table" aria-label="Runs">
        <thead>
          <tr>
            {header("State", "state")}{header("Pipeline", "pipeline")}{header("Run", null)}{header("Trigger", null)}
            {header("Queued", "createdAt")}{header("Started", "startedAt")}{header("Ended", "endedAt")}
            {header("Duration", null, "num")}{header("Rows written", null, "num")}{header("Error", null)}
          </tr>
        </thead>
        <tbody>
          {(q.data?.rows ?? []).map((r) => (
            <tr key={r.id} aria-label={`Run ${r.id}`}>
              <td><StateBadge state={r.state} /></td>
              <td>{r.pipelineName ?? r.pipelineId}<div className="muted small">v{r.pipelineVersion}{r.toNodeId ? ` · to ${r.toNodeId}` : ""}</div></td>
              <td><RunLink id={r.id} /></td>
              <td>{r.trigger}</td>
              <td><When iso={r.createdAt} /></td>
              <td><When iso={r.startedAt} /></td>
              <td><When iso={r.endedAt} /></td>
              <td className="num">{fmtDuration(r.durationMs)}</td>
              <td className="num">{fmtRows(r.rowsWritten)}</td>
              <td className="err-cell" title={r.errorMessage ?? undefined}>{r.errorNodeId ? <strong>{r.errorNodeId}: </strong> : null}{r.errorMessage ?? ""}</td>
            </tr>
          ))}
          {q.data && q.data.rows.length === 0 ? <tr><td colSpan={10} className="muted">No runs match these filters.</td></tr> : null}
        </tbody>
      </table>
      <nav className="pager" aria-label="Pages">
        <button type="button" className="btn small" disabled={!f || f.page <= 1} onClick={() => f && setF({ ...f, page: f.page - 1 })}>← Previous</button>
        <span role="status" aria-label="Page">{q.data ? `Page ${q.data.page} of ${pages} · ${q.data.total.toLocaleString("en-US")} run${q.data.total === 1 ? "" : "s"}` : "Loading…"}</span>
        <button type="button" className="btn small" disabled={!f || f.page >= pages} onClick={() => f && setF({ ...f, page: f.page + 1 })}>Next →</button>
      </nav>
    </div>
  );
}
