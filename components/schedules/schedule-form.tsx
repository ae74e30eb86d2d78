"use client";
// The schedule form: cron expression and time zone with a plain-English reading and the next
// five fire times while typing, overlap policy, enabled. A bad cron or time zone shows under its
// field (from the live preview, and from the server's per-field errors on save); nothing is
// saved until both are valid.
import { keepPreviousData, useMutation, useQuery } from "@tanstack/react-query";
import { useId, useMemo, useState } from "react";
import type { ScheduleView } from "@/server/scheduler/schedules";
import { useDebounced } from "@/lib/use-debounced";
import { useTRPC } from "@/lib/trpc";

type Overlap = "skip" | "queue";
type FieldErrors = { cron?: string; timezone?: string };

const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

/** The tRPC error's per-field messages (zod issues mapped by the server's error formatter). */
function fieldErrorsOf(e: unknown): FieldErrors | null {
  const list = (e as { data?: { fieldErrors?: { path: string; message: string }[] | null } } | null)?.data?.fieldErrors;
  if (!list?.length) return null;
  const out: FieldErrors = {};
  for (const fe of list) if (fe.path === "cron" || fe.path === "timezone") out[fe.path] = fe.message;
  return out;
}

function inZone(iso: string, timeZone: string): string {
  return new Date(iso).toLocaleString("en-GB", { timeZone, weekday: "short", day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", hour12: false });
}

export function ScheduleForm(props: { pipelineId: string; editing: ScheduleView | null; onSaved: (s: ScheduleView) => void; onCancel: () => void }) {
  const trpc = useTRPC();
  const id = useId();
  const [cron, setCron] = useState(props.editing?.cron ?? "0 6 * * *");
  const [timezone, setTimezone] = useState(props.editing?.timezone ?? browserZone());
  const [overlap, setOverlap] = useState<Overlap>(props.editing?.overlap ?? "skip");
  const [enabled, setEnabled] = useState(props.editing?.enabled ?? true);
  const [serverErrors, setServerErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const zones = useMemo(() => (typeof Intl.supportedValuesOf === "function" ? ["UTC", ...Intl.supportedValuesOf("timeZone")] : ["UTC"]), []);

  // a string, not an object: a fresh object every render would restart the debounce forever
  const [dCron, dZone] = useDebounced(`${cron}\n${timezone}`, 250).split("\n");
  const input = useMemo(() => ({ cron: dCron, timezone: dZone }), [dCron, dZone]);
  const preview = useQuery({ ...trpc.schedules.preview.queryOptions(input), placeholderData: keepPreviousData });
  const create = useMutation(trpc.schedules.create.mutationOptions());
  const update = useMutation(trpc.schedules.update.mutationOptions());
  const busy = create.isPending || update.isPending;

  const stale = input.cron !== cron || input.timezone !== timezone;
  const live = stale ? {} : preview.data?.errors ?? {};
  const errors: FieldErrors = { cron: serverErrors.cron ?? live.cron, timezone: serverErrors.timezone ?? live.timezone };

  async function save(e: React.FormEvent) {
    e.preventDefault();
    setFormError(null);
    const fields = { cron, timezone, overlap, enabled };
    try {
      const saved = props.editing
        ? await update.mutateAsync({ id: props.editing.id, ...fields })
        : await create.mutateAsync({ pipelineId: props.pipelineId, ...fields });
      props.onSaved(saved);
    } catch (err) {
      const fe = fieldErrorsOf(err);
      if (fe) setServerErrors(fe);
      else setFormError(err instanceof Error ? err.message : String(err));
    }
  }

  return (
    <form className="sched-form" aria-label={props.editing ? "Edit schedule" : "New schedule"} onSubmit={save} noValidate>
      <h2>{props.editing ? "Edit schedule" : "New schedule"}</h2>
      <div className="row">
        <div className={`field${errors.cron ? " invalid" : ""}`}>
          <label className="field-label" htmlFor={`${id}-cron`}>Cron expression</label>
          <input id={`${id}-cron`} className="input mono" value={cron} autoFocus spellCheck={false} autoComplete="off"
            aria-invalid={errors.cron ? true : undefined} aria-describedby={`${id}-cron-help ${id}-cron-error`}
            onChange={(e) => { setCron(e.target.value); setServerErrors((s) => ({ ...s, cron: undefined })); }} />
          <p id={`${id}-cron-help`} className="muted small">minute hour day-of-month month day-of-week, e.g. <code>*/15 * * * *</code> or <code>0 6 * * 1-5</code></p>
          {errors.cron ? <p id={`${id}-cron-error`} className="field-error" role="alert">{errors.cron}</p> : null}
        </div>
        <div className={`field${errors.timezone ? " invalid" : ""}`}>
          <label className="field-label" htmlFor={`${id}-tz`}>Time zone</label>
          <input id={`${id}-tz`} className="input" value={timezone} list={`${id}-zones`} spellCheck={false} autoComplete="off"
            aria-invalid={errors.timezone ? true : undefined} aria-describedby={`${id}-tz-error`}
            onChange={(e) => { setTimezone(e.target.value); setServerErrors((s) => ({ ...s, timezone: undefined })); }} />
          <datalist id={`${id}-zones`}>{zones.map((z) => <option key={z} value={z} />)}</datalist>
          {errors.timezone ? <p id={`${id}-tz-error`} className="field-error" role="alert">{errors.timezone}</p> : null}
        </div>
      </div>

      <div className="preview-box" role="region" aria-label="Next fire times" aria-live="polite">
        {preview.data?.description && !errors.cron ? <strong>{preview.data.description}</strong> : <span className="muted">Type a valid expression to see when it runs.</span>}
        {!stale && preview.data && preview.data.next.length && !errors.cron && !errors.timezone ? (
          <ol>{preview.data.next.map((t) => <li key={t}>{inZone(t, timezone)} <span className="muted small">({timezone})</span></li>)}</ol>
        ) : null}
      </div>

      <fieldset>
        <legend>If a run of this pipeline is still going</legend>
        <label className="radio"><input type="radio" name={`${id}-overlap`} checked={overlap === "skip"} onChange={() => setOverlap("skip")} /> Skip this slot</label>
        <label className="radio"><input type="radio" name={`${id}-overlap`} checked={overlap === "queue"} onChange={() => setOverlap("queue")} /> Queue another run</label>
      </fieldset>
      <label className="switch" style={{ marginTop: 12 }}><input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} /> Enabled</label>

      {formError ? <div className="alert bad" role="alert" style={{ marginTop: 12 }}>{formError}</div> : null}
      <div className="form-actions">
        <button type="submit" className="btn primary" disabled={busy}>{busy ? "Saving…" : props.editing ? "Save schedule" : "Create schedule"}</button>
        <button type="button" className="btn" onClick={props.onCancel}>Cancel</button>
      </div>
    </form>
  );
}
