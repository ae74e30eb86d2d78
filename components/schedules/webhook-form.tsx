"use client";
// A pipeline's webhook: the URL called with a JSON payload when a run fails (and, if ticked,
// succeeds), retried with backoff. The saved URL is shown masked (it often holds a token); a
// bad URL shows under the field and nothing is saved.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useTRPC } from "@/lib/trpc";
import { RunLink } from "@/components/dashboard/run-bits";
import { useCan } from "@/components/auth/auth-context";

export function WebhookForm({ pipelineId }: { pipelineId: string }) {
  const edit = useCan("editor");
  const trpc = useTRPC();
  const id = useId();
  const queryClient = useQueryClient();
  const hook = useQuery({ ...trpc.webhooks.get.queryOptions({ pipelineId }), refetchInterval: 5_000 });
  const set = useMutation(trpc.webhooks.set.mutationOptions());
  const remove = useMutation(trpc.webhooks.remove.mutationOptions());
  const [url, setUrl] = useState("");
  const [onSuccess, setOnSuccess] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.webhooks.get.queryKey({ pipelineId }) });

  async function save(e: React.FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      await set.mutateAsync({ pipelineId, url, onSuccess });
      setUrl("");
      void refresh();
    } catch (err) {
      const fe = (err as { data?: { fieldErrors?: { path: string; message: string }[] | null } }).data?.fieldErrors;
      setError(fe?.find((f) => f.path === "url")?.message ?? (err instanceof Error ? err.message : String(err)));
    }
  }

  const h = hook.data;
  return (
    <form className="sched-form" aria-label="Webhook" onSubmit={save} noValidate>
      <h2>Webhook</h2>
      <fieldset className="perm-fieldset" disabled={!edit.ok} title={edit.title}>
      <p className="muted small" style={{ margin: 0 }}>
        {h?.configured ? <>Calls <code>{h.urlMasked}</code> when a run fails{h.onSuccess ? " or succeeds" : ""}.</> : "No webhook: set a URL to be called (POST, JSON) when a run of this pipeline fails."}
      </p>
      <div className={`field${error ? " invalid" : ""}`}>
        <label className="field-label" htmlFor={`${id}-url`}>{h?.configured ? "Replace the URL" : "Webhook URL"}</label>
        <input id={`${id}-url`} className="input mono" value={url} placeholder="https://hooks.example.com/…" autoComplete="off" spellCheck={false}
          aria-invalid={error ? true : undefined} aria-describedby={`${id}-url-error`} onChange={(e) => { setUrl(e.target.value); setError(null); }} />
        {error ? <p id={`${id}-url-error`} className="field-error" role="alert">{error}</p> : null}
      </div>
      <label className="switch" style={{ marginTop: 10 }}><input type="checkbox" checked={onSuccess} onChange={(e) => setOnSuccess(e.target.checked)} /> Also call it when a run succeeds</label>
      <div className="form-actions">
        <button type="submit" className="btn" disabled={set.isPending || !url.trim()}>Save webhook</button>
        {h?.configured ? <button type="button" className="btn danger" onClick={() => remove.mutate({ pipelineId }, { onSuccess: refresh })}>Remove webhook</button> : null}
      </div>
      </fieldset>
      {h?.recent.length ? (
        <table className="run-list" aria-label="Webhook calls" style={{ marginTop: 12 }}>
          <thead><tr><th>Run</th><th>Event</th><th>State</th><th className="num">Attempts</th><th>Last error</th></tr></thead>
          <tbody>{h.recent.map((d) => (
            <tr key={d.runId}><td><RunLink id={d.runId} /></td><td>{d.event}</td><td>{d.state}</td><td className="num">{d.attempts}</td><td>{d.lastError ?? ""}</td></tr>
          ))}</tbody>
        </table>
      ) : null}
    </form>
  );
}
