"use client";
// Form building blocks for the inspector: labelled fields with their diagnostics underneath,
// text/select/number inputs that edit the document, and a checkbox column picker.
import { useEffect, useId, useState, type ReactNode } from "react";
import type { Diagnostic, Schema } from "@/server/pipeline";

/** Diagnostics for a form field: exact match or a sub-field ("columns" matches "columns.2"). */
export function fieldDiagnostics(diags: readonly Diagnostic[], field: string): Diagnostic[] {
  return diags.filter((d) => d.field === field || d.field?.startsWith(`${field}.`));
}

export function FieldErrors({ id, diagnostics }: { id?: string; diagnostics: readonly Diagnostic[] }) {
  if (!diagnostics.length) return null;
  return (
    <div id={id} className="field-errors">
      {diagnostics.map((d, i) => (
        <p key={i} className={`field-error ${d.severity}`}>
          {d.message}
          {d.hint ? <span className="hint"> — {d.hint}</span> : null}
        </p>
      ))}
    </div>
  );
}

export function Field(props: { label: string; htmlFor?: string; hint?: ReactNode; diagnostics?: readonly Diagnostic[]; errorId?: string; children: ReactNode }) {
  return (
    <div className={`field${props.diagnostics?.some((d) => d.severity === "error") ? " invalid" : ""}`}>
      <label className="field-label" htmlFor={props.htmlFor}>{props.label}</label>
      {props.children}
      {props.hint ? <div className="field-hint">{props.hint}</div> : null}
      <FieldErrors id={props.errorId} diagnostics={props.diagnostics ?? []} />
    </div>
  );
}

export function TextField(props: {
  label: string; value: string; onChange: (v: string) => void; onBlur?: () => void;
  diagnostics?: readonly Diagnostic[]; placeholder?: string; hint?: ReactNode; mono?: boolean;
}) {
  const id = useId();
  const errId = `${id}-err`;
  const invalid = props.diagnostics?.some((d) => d.severity === "error");
  return (
    <Field label={props.label} htmlFor={id} hint={props.hint} diagnostics={props.diagnostics} errorId={errId}>
      <input
        id={id}
        className={`input${props.mono ? " mono" : ""}`}
        value={props.value}
        placeholder={props.placeholder}
        spellCheck={false}
        autoComplete="off"
        aria-invalid={invalid || undefined}
        aria-describedby={props.diagnostics?.length ? errId : undefined}
        onChange={(e) => props.onChange(e.target.value)}
        onBlur={props.onBlur}
      />
    </Field>
  );
}

export function SelectField<T extends string>(props: {
  label: string; value: T; options: readonly { value: T; label: string }[]; onChange: (v: T) => void; diagnostics?: readonly Diagnostic[];
}) {
  const id = useId();
  return (
    <Field label={props.label} htmlFor={id} diagnostics={props.diagnostics}>
      <select id={id} className="input" value={props.value} onChange={(e) => props.onChange(e.target.value as T)}>
        {props.options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
      </select>
    </Field>
  );
}

/**
 * An integer input that only writes whole numbers to the document (an empty field means null
 * when `nullable`), so half-typed text never becomes an invalid document.
 */
export function IntegerField(props: {
  label: string; value: number | null; onChange: (v: number | null) => void; onBlur?: () => void;
  nullable?: boolean; min?: number; placeholder?: string; diagnostics?: readonly Diagnostic[]; hint?: ReactNode;
}) {
  const id = useId();
  const [text, setText] = useState(props.value === null ? "" : String(props.value));
  useEffect(() => {
    setText((t) => (parse(t) === props.value ? t : props.value === null ? "" : String(props.value)));
  }, [props.value]);
  function parse(t: string): number | null | undefined {
    if (t.trim() === "") return props.nullable ? null : undefined;
    return /^-?\d+$/.test(t.trim()) ? Number(t.trim()) : undefined;
  }
  return (
    <Field label={props.label} htmlFor={id} diagnostics={props.diagnostics} hint={props.hint}>
      <input
        id={id}
        className="input narrow"
        inputMode="numeric"
        value={text}
        min={props.min}
        placeholder={props.placeholder}
        onChange={(e) => {
          setText(e.target.value);
          const v = parse(e.target.value);
          if (v !== undefined && v !== props.value) props.onChange(v);
        }}
        onBlur={props.onBlur}
      />
    </Field>
  );
}

/**
 * Checkboxes over the columns flowing into a node (name + type), with a filter box for wide
 * schemas; chosen names missing from the schema stay listed so they can be unticked.
 */
export function ColumnChecklist(props: {
  label: string; schema: Schema | null; value: readonly string[]; onChange: (v: string[]) => void; diagnostics?: readonly Diagnostic[];
  emptyText: string;
}) {
  const [filter, setFilter] = useState("");
  const chosen = new Set(props.value);
  const known = new Set((props.schema ?? []).map((c) => c.name));
  const missing = props.value.filter((c) => !known.has(c));
  const rows = [
    ...(props.schema ?? []).map((c) => ({ name: c.name, type: c.type as string, unknown: false })),
    ...missing.map((name) => ({ name, type: "not in input", unknown: true })),
  ].filter((r) => r.name.toLowerCase().includes(filter.toLowerCase()));
  const toggle = (name: string, on: boolean) => {
    if (on) {
      const order = (props.schema ?? []).map((c) => c.name);
      props.onChange([...props.value, name].sort((a, b) => (order.indexOf(a) + 1 || 1e9) - (order.indexOf(b) + 1 || 1e9)));
    } else props.onChange(props.value.filter((c) => c !== name));
  };
  return (
    <fieldset className={`field column-list${props.diagnostics?.some((d) => d.severity === "error") ? " invalid" : ""}`}>
      <legend className="field-label">{props.label}</legend>
      {props.schema === null && !missing.length ? <p className="muted small">{props.emptyText}</p> : null}
      {(props.schema?.length ?? 0) > 8 ? (
        <input className="input small" type="search" placeholder="Filter columns" aria-label={`Filter ${props.label.toLowerCase()}`} value={filter} onChange={(e) => setFilter(e.target.value)} />
      ) : null}
      <div className="checklist">
        {rows.map((r) => (
          <label key={r.name} className={`check-row${r.unknown ? " unknown" : ""}`}>
            <input type="checkbox" checked={chosen.has(r.name)} onChange={(e) => toggle(r.name, e.target.checked)} />
            <span className="col-name">{r.name}</span>
            <span className="col-type">{r.type}</span>
          </label>
        ))}
      </div>
      <FieldErrors diagnostics={props.diagnostics ?? []} />
    </fieldset>
  );
}
