"use client";
// A pipeline's schedules and run history: its schedules (plain-English time, time zone, overlap
// policy, next and last fire, enable/disable, edit, delete, Run now), the schedule form, charts
// of its runs and its failure webhook. Reached from the pipelines list, the dashboard and a run's detail.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import type { ScheduleView } from "@/server/scheduler/schedules";
import { Dialog } from "@/components/ui/dialog";
import { useTRPC } from "@/lib/trpc";
import { RunLink, When } from "@/components/dashboard/run-bits";
import { PipelineCharts } from "./pipeline-charts";
import { ScheduleForm } from "./schedule-form";
import { WebhookForm } from "./webhook-form";
import "@/components/ui/theme.css";
import "@/components/runs/runs.css";
import "@/components/dashboard/dashboard.css";
import { useCan } from "@/components/auth/auth-context";

export function SchedulesPage({ pipelineId }: { pipelineId: string }) {
  const trpc = useTRPC();
  const edit = useCan("editor");
  const runner = useCan("runner");
  const queryClient = useQueryClient();
  const pipeline = useQuery(trpc.pipelines.get.queryOptions({ id: pipelineId }));
  const list = useQuery({ ...trpc.schedules.list.queryOptions({ pipelineId }), refetchInterval: 5_000 });
  const setEnabled = useMutation(trpc.schedules.setEnabled.mutationOptions());
  const remove = useMutation(trpc.schedules.delete.mutationOptions());
  const runNow = useMutation(trpc.schedules.runNow.mutationOptions());
  const [form, setForm] = useState<{ editing: ScheduleView | null } | null>(null);
  const [deleting, setDeleting] = useState<ScheduleView | null>(null);
  const [started, setStarted] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.schedules.list.queryKey({ pipelineId }) });
  const fail = (e: { message: string }) => setError(e.message);

  const name = pipeline.data?.name ?? pipelineId;
  return (
    <div className="page wide-page sched-page">
      <div className="page-head">
        <h1>Schedules · {name}</h1>
        <div className="bar-spacer" />
        <Link className="btn" href={`/pipelines/${encodeURIComponent(pipelineId)}`}>Open editor</Link>
        <Link className="btn" href={`/runs?pipeline=${encodeURIComponent(pipelineId)}`}>Runs of this pipeline</Link>
        {!form ? <button type="button" className="btn primary" disabled={!edit.ok} title={edit.title} onClick={() => setForm({ editing: null })}>New schedule</button> : null}
      </div>
      {pipeline.error ? <div className="alert bad" role="alert">{pipeline.error.message}</div> : null}
      {error ? <div className="alert bad" role="alert"><div className="alert-head">{error}<button type="button" className="icon-btn" aria-label="Dismiss" onClick={() => setError(null)}>×</button></div></div> : null}
      {started ? <p role="status" aria-label="Run started" className="alert">Run <RunLink id={started} /> queued — it shows on the <Link href="/">dashboard</Link>.</p> : null}

      {form ? (
        <ScheduleForm key={form.editing?.id ?? "new"} pipelineId={pipelineId} editing={form.editing}
          onSaved={() => { setForm(null); void refresh(); }} onCancel={() => setForm(null)} />
      ) : null}

      {list.data && list.data.length === 0 && !form ? (
        <div className="empty-state"><p><strong>No schedules yet.</strong></p><p className="muted">Add one to run this pipeline on a cron schedule.</p></div>
      ) : null}
      {list.data && list.data.length > 0 ? (
        <table className="list-table" aria-label="Schedules">
          <thead><tr><th>When</th><th>Overlap</th><th>Next run</th><th>Last fire</th><th>Enabled</th><th><span className="visually-hidden">Actions</span></th></tr></thead>
          <tbody>
            {list.data.map((s) => (
              <tr key={s.id} aria-label={`Schedule ${s.cron}`}>
                <td><strong>{s.description}</strong><div className="muted small"><code>{s.cron}</code> · {s.timezone}</div></td>
                <td>{s.overlap === "skip" ? "skip if running" : "queue"}</td>
                <td>{s.enabled && s.nextFireAt ? <When iso={s.nextFireAt} /> : <span className="muted">disabled</span>}</td>
                <td>
                  {s.lastFire ? (
                    <>
                      <When iso={s.lastFire.slot} />{" "}
                      {s.lastFire.outcome === "skipped" ? <span className="tag muted">skipped</span> : s.lastFire.outcome === "failed" ? <span className="tag bad">not started</span> : null}
                      {s.lastFire.late ? <span className="tag warn" title={`fired at ${s.lastFire.firedAt}`}>late</span> : null}
                      {s.lastFire.runId ? <div><RunLink id={s.lastFire.runId} /></div> : null}
                      {s.lastFire.message ? <div className="muted small">{s.lastFire.message}</div> : null}
                    </>
                  ) : <span className="muted">never</span>}
                </td>
                <td>
                  <label className="switch">
                    <input type="checkbox" checked={s.enabled} aria-label={`Enabled: ${s.description}`} disabled={!edit.ok} title={edit.title}
                      onChange={(e) => setEnabled.mutate({ id: s.id, enabled: e.target.checked }, { onSuccess: refresh, onError: fail })} />
                    {s.enabled ? "on" : "off"}
                  </label>
                </td>
                <td className="row-actions">
                  <button type="button" className="btn small" disabled={!runner.ok || runNow.isPending} title={runner.title}
                    onClick={() => runNow.mutate({ id: s.id }, { onSuccess: ({ runId }) => { setStarted(runId); void queryClient.invalidateQueries({ queryKey: trpc.dashboard.pipelineStats.queryKey() }); }, onError: fail })}>Run now</button>
                  <button type="button" className="btn small" disabled={!edit.ok} title={edit.title} onClick={() => setForm({ editing: s })}>Edit</button>
                  <button type="button" className="btn small danger" disabled={!edit.ok} title={edit.title} onClick={() => setDeleting(s)}>Delete</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}

      <h2 style={{ marginTop: 24 }}>Run history</h2>
      <PipelineCharts pipelineId={pipelineId} />

      <div style={{ marginTop: 24 }}><WebhookForm pipelineId={pipelineId} /></div>

      <Dialog open={deleting !== null} title="Delete schedule?" onClose={() => setDeleting(null)}
        footer={<>
          <button type="button" className="btn" onClick={() => setDeleting(null)}>Cancel</button>
          <button type="button" className="btn danger-solid" onClick={() => deleting && remove.mutate({ id: deleting.id }, { onSuccess: () => { setDeleting(null); void refresh(); }, onError: fail })}>Delete</button>
        </>}>
        <p>“{deleting?.description}” ({deleting?.timezone}) will stop firing. Its past runs stay.</p>
      </Dialog>
    </div>
  );
}
