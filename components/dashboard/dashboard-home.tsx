"use client";
// The dashboard home: what ran, what failed and why, what runs next. Counts of runs by state
// (24 h and 7 days, each a link into the runs table), runs in progress with live progress,
// the newest runs, recent failures at their node, schedule fires that were late, skipped or
// could not start, and upcoming scheduled runs. Polls the summary every 2 s.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { RUN_STATES } from "@/server/runs/snapshot";
import { relativeTime } from "@/lib/time";
import { useTRPC } from "@/lib/trpc";
import { editorAt, fmtDuration, fmtRows, RunLink, StateBadge, STATE_TEXT, When } from "./run-bits";
import "@/components/ui/theme.css";
import "@/components/runs/runs.css";
import "./dashboard.css";

const HOUR = 3_600_000;

export function DashboardHome() {
  const trpc = useTRPC();
  const q = useQuery({ ...trpc.dashboard.summary.queryOptions(), refetchInterval: 2_000 });
  const s = q.data;
  const now = s ? Date.parse(s.now) : Date.now();
  return (
    <div className="page dash">
      <div className="page-head">
        <h1>Dashboard</h1>
        <div className="bar-spacer" />
        <Link className="btn" href="/pipelines">Pipelines</Link>
        <Link className="btn" href="/runs">All runs</Link>
      </div>
      {q.error ? <div className="alert bad" role="alert">{q.error.message}</div> : null}
      {!s ? <p className="muted">Loading…</p> : (
        <>
          <section aria-label="Runs by state" className="dash-counts">
            {([["Last 24 hours", s.counts24h, 24 * HOUR], ["Last 7 days", s.counts7d, 7 * 24 * HOUR]] as const).map(([label, counts, span]) => (
              <div key={label} className="count-row" role="group" aria-label={label}>
                <h2>{label}</h2>
                {RUN_STATES.map((st) => (
                  <Link key={st} className={`count-card state-${st}`} aria-label={`${label}: ${counts[st]} ${STATE_TEXT[st].toLowerCase()}`}
                    href={`/runs?state=${st}&from=${encodeURIComponent(new Date(now - span).toISOString())}`}>
                    <span className="count-n">{counts[st]}</span><span className="count-label">{STATE_TEXT[st]}</span>
                  </Link>
                ))}
              </div>
            ))}
          </section>

          <div className="dash-grid">
            <section className="dash-card" aria-label="Running now">
              <h2>Running now</h2>
              {s.active.length === 0 ? <p className="muted">Nothing is running.</p> : (
                <ul className="dash-list">
                  {s.active.map((r) => (
                    <li key={r.id} aria-label={`Active run ${r.id}`}>
                      <div className="dash-line"><StateBadge state={r.state} /> <strong>{r.pipelineName ?? r.pipelineId}</strong> <RunLink id={r.id} /><span className="muted small"> · {r.trigger}</span></div>
                      <div className="progress" role="progressbar" aria-label={`Progress of ${r.id}`} aria-valuemin={0} aria-valuemax={Math.max(1, r.stagesTotal)} aria-valuenow={r.stagesDone}>
                        <div className="progress-fill" style={{ width: `${r.stagesTotal ? (100 * r.stagesDone) / r.stagesTotal : 0}%` }} />
                      </div>
                      <div className="muted small">
                        {r.state === "queued" ? "waiting for a free slot" : `${r.stagesDone} of ${r.stagesTotal} stages done · ${fmtRows(r.rowsSoFar)} rows so far · ${fmtDuration(r.durationMs)}`}
                      </div>
                    </li>
                  ))}
                </ul>
              )}
            </section>

            <section className="dash-card" aria-label="Upcoming scheduled runs">
              <h2>Upcoming</h2>
              {s.upcoming.length === 0 ? <p className="muted">No schedule is enabled.</p> : (
                <table className="run-list"><tbody>
                  {s.upcoming.map((u) => (
                    <tr key={u.scheduleId}>
                      <td><Link href={`/pipelines/${encodeURIComponent(u.pipelineId)}/schedules`}>{u.pipelineName}</Link></td>
                      <td>{u.description} <span className="muted small">({u.timezone})</span></td>
                      <td><When iso={u.nextFireAt} /></td>
                    </tr>
                  ))}
                </tbody></table>
              )}
            </section>

            <section className="dash-card wide" aria-label="Recent runs">
              <h2>Recent runs</h2>
              {s.recent.length === 0 ? <p className="muted">No runs yet. Open a pipeline and press Run, or schedule it.</p> : (
                <table className="run-list"><thead><tr><th>State</th><th>Pipeline</th><th>Run</th><th>Trigger</th><th>Queued</th><th className="num">Duration</th><th className="num">Rows written</th></tr></thead><tbody>
                  {s.recent.map((r) => (
                    <tr key={r.id} aria-label={`Run ${r.id}`}>
                      <td><StateBadge state={r.state} /></td>
                      <td>{r.pipelineName ?? r.pipelineId}</td>
                      <td><RunLink id={r.id} /></td>
                      <td>{r.trigger}</td>
                      <td title={r.createdAt}>{relativeTime(r.createdAt, now)}</td>
                      <td className="num">{fmtDuration(r.durationMs)}</td>
                      <td className="num">{fmtRows(r.rowsWritten)}</td>
                    </tr>
                  ))}
                </tbody></table>
              )}
            </section>

            <section className="dash-card wide" aria-label="Recent failures">
              <h2>Recent failures</h2>
              {s.failures.length === 0 ? <p className="muted">No failed runs.</p> : (
                <ul className="dash-list">
                  {s.failures.map((r) => (
                    <li key={r.id}>
                      <div className="dash-line">
                        <strong>{r.pipelineName ?? r.pipelineId}</strong> <RunLink id={r.id} />
                        <span className="muted small"> · {relativeTime(r.createdAt, now)} · {r.trigger}</span>
                      </div>
                      <div className="fail-line">
                        {r.errorNodeId ? <Link className="fail-node" href={editorAt(r.pipelineId, r.id, r.errorNodeId)}>{r.errorNodeId}</Link> : null}
                        <span className="fail-message">{r.errorMessage ?? "failed"}</span>
                      </div>
                    </li>
                  ))}
                </ul>
              )}
            </section>

            {s.fireNotes.length ? (
              <section className="dash-card wide" aria-label="Schedule notes">
                <h2>Schedule notes (24 h)</h2>
                <ul className="dash-list">
                  {s.fireNotes.map((f) => (
                    <li key={`${f.scheduleId}-${f.slot}`}>
                      <Link href={`/pipelines/${encodeURIComponent(f.pipelineId)}/schedules`}>{f.pipelineName ?? f.pipelineId}</Link>{" "}
                      slot <When iso={f.slot} />: {f.outcome === "skipped" ? "skipped" : f.outcome === "failed" ? "could not start" : "started"}
                      {f.late ? <span className="tag warn"> late{f.missedSlots ? `, ${f.missedSlots} older slot${f.missedSlots === 1 ? "" : "s"} not fired` : ""}</span> : null}
                      {f.message ? <span className="muted"> — {f.message}</span> : null}
                      {f.runId ? <> · <RunLink id={f.runId} /></> : null}
                    </li>
                  ))}
                </ul>
              </section>
            ) : null}
          </div>
        </>
      )}
    </div>
  );
}
