"use client";
// One run: state, trigger, version and times; the error at its node with a link into the editor
// at that node; the stage timeline (Gantt); the log; the pipeline document and generated script
// it ran; Re-run (a new run of the same version) and Cancel while active. Refreshes every second
// while the run is active.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { TERMINAL_RUN_STATES } from "@/server/runs/snapshot";
import { useTRPC } from "@/lib/trpc";
import { editorAt, fmtDuration, fmtRows, StateBadge, When } from "./run-bits";
import { StageTimeline } from "./stage-timeline";
import "@/components/ui/theme.css";
import "@/components/runs/runs.css";
import "./dashboard.css";
import { useCan } from "@/components/auth/auth-context";

/** Terminal colour codes Ray puts in its log lines. */
const ANSI = /\x1b\[[0-9;]*m/g;

export function RunDetail({ runId }: { runId: string }) {
  const runner = useCan("runner");
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const run = useQuery({
    ...trpc.runs.get.queryOptions({ runId }),
    refetchInterval: (q) => (q.state.data && TERMINAL_RUN_STATES.includes(q.state.data.state) ? false : 1_000),
  });
  const [showSource, setShowSource] = useState(false);
  const source = useQuery({ ...trpc.dashboard.runSource.queryOptions({ runId }), enabled: showSource });
  const retry = useMutation(trpc.runs.retry.mutationOptions());
  const cancel = useMutation(trpc.runs.cancel.mutationOptions());
  const [actionError, setActionError] = useState<string | null>(null);

  if (run.error) return <div className="page"><div className="alert bad" role="alert">{run.error.message}</div><Link href="/runs">All runs</Link></div>;
  const r = run.data;
  if (!r) return <div className="page"><p className="muted">Loading the run…</p></div>;
  const ended = TERMINAL_RUN_STATES.includes(r.state);
  const rows = r.rowsWritten ? Object.values(r.rowsWritten).reduce((a, b) => a + b, 0) : null;

  return (
    <div className="page wide-page run-page">
      <div className="page-head">
        <h1>Run <span className="mono">{r.id}</span></h1>
        <span role="status" aria-label="Run state"><StateBadge state={r.state} /></span>
        <div className="bar-spacer" />
        <Link className="btn" href={editorAt(r.pipelineId, r.id)}>Open in editor</Link>
        {ended ? (
          <button type="button" className="btn primary" disabled={!runner.ok || retry.isPending} title={runner.title} onClick={() => retry.mutate({ runId: r.id }, {
            onSuccess: ({ runId: next }) => { void queryClient.invalidateQueries(); router.push(`/runs/${encodeURIComponent(next)}`); },
            onError: (e) => setActionError(e.message),
          })}>Re-run</button>
        ) : (
          <button type="button" className="btn danger" disabled={!runner.ok || cancel.isPending || r.cancelRequested} title={runner.title} onClick={() => cancel.mutate({ runId: r.id }, { onError: (e) => setActionError(e.message) })}>
            {r.cancelRequested ? "Cancelling…" : "Cancel"}
          </button>
        )}
      </div>
      {actionError ? <div className="alert bad" role="alert">{actionError}</div> : null}
      <p className="meta">
        <span>Pipeline <Link href={`/pipelines/${encodeURIComponent(r.pipelineId)}/schedules`}>{r.pipelineId}</Link> version {r.pipelineVersion}{r.toNodeId ? ` (to ${r.toNodeId})` : ""}</span>
        <span>Trigger {r.trigger}{r.retryOf ? <> of <Link href={`/runs/${encodeURIComponent(r.retryOf)}`} className="mono">{r.retryOf}</Link></> : null}</span>
        <span title={r.startedBy}>By {r.startedByName ?? r.startedBy}</span>
        <span>Queued <When iso={r.createdAt} /></span>
        <span>Started <When iso={r.startedAt} /></span>
        <span>Ended <When iso={r.endedAt} /></span>
        <span>Duration {fmtDuration(r.durationMs)}</span>
        <span>Rows written {fmtRows(rows)}</span>
      </p>

      {r.error ? (
        <div className="alert bad" role="alert" aria-label="Run error">
          <div className="fail-line">
            {r.error.nodeId ? (
              <Link className="fail-node" href={editorAt(r.pipelineId, r.id, r.error.nodeId)} aria-label={`Open node ${r.error.nodeId} in the editor`}>
                {r.error.nodeId}{r.error.udfLine ? `, line ${r.error.udfLine}` : ""}
              </Link>
            ) : null}
            <span className="fail-message">{r.error.message}</span>
          </div>
          {r.error.traceback.length ? <details><summary>Traceback</summary><pre className="code-block wrap">{r.error.traceback.join("\n")}</pre></details> : null}
        </div>
      ) : null}

      <section aria-label="Stage timeline">
        <h2>Stage timeline</h2>
        <StageTimeline run={r} />
      </section>

      <section aria-label="Log">
        <h2>Log</h2>
        <pre className="code-block wrap" aria-label="Log tail">{r.logTail.replace(ANSI, "") || "(no log yet)"}</pre>
      </section>

      <section aria-label="What ran">
        <h2>What ran</h2>
        {!showSource ? <button type="button" className="btn" onClick={() => setShowSource(true)}>Show the pipeline version and generated script</button> : null}
        {source.error ? <p className="bad">{source.error.message}</p> : null}
        {source.data ? (
          <>
            <details open><summary>Generated script (pipeline {source.data.pipelineId} v{source.data.pipelineVersion})</summary><pre className="code-block" aria-label="Generated script">{source.data.script}</pre></details>
            <details><summary>Pipeline document</summary><pre className="code-block" aria-label="Pipeline document">{JSON.stringify(JSON.parse(source.data.document), null, 2)}</pre></details>
          </>
        ) : null}
      </section>
    </div>
  );
}
