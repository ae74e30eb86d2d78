"use client";
// sort: one or more keys, each ascending or descending (nulls last).
import { fieldDiagnostics, FieldErrors } from "./fields";
import type { FormProps } from "./form-props";

export function SortForm({ node, input, diagnostics, set }: FormProps<"sort">) {
  const keys = node.params.keys;
  const columns = input?.map((c) => c.name) ?? [];
  const update = (i: number, patch: Partial<(typeof keys)[number]>) => set({ keys: keys.map((k, j) => (j === i ? { ...k, ...patch } : k)) }, `keys.${i}`);
  return (
    <fieldset className="field">
      <legend className="field-label">Sort keys</legend>
      {keys.length === 0 ? <p className="muted small">No keys yet.</p> : null}
      <ol className="sort-keys">
        {keys.map((k, i) => {
          const options = columns.includes(k.column) || k.column === "" ? columns : [k.column, ...columns];
          return (
            <li key={i}>
              <div className="sort-key">
                <span className="key-no">{i + 1}</span>
                <select className="input" aria-label={`Sort key ${i + 1} column`} value={k.column} onChange={(e) => update(i, { column: e.target.value })}>
                  {k.column === "" ? <option value="">Choose a column…</option> : null}
                  {options.map((c) => <option key={c} value={c}>{c}</option>)}
                </select>
                <select className="input dir" aria-label={`Sort key ${i + 1} direction`} value={k.descending ? "desc" : "asc"} onChange={(e) => update(i, { descending: e.target.value === "desc" })}>
                  <option value="asc">Ascending</option>
                  <option value="desc">Descending</option>
                </select>
                <button type="button" className="icon-btn" aria-label={`Remove sort key ${i + 1}`} onClick={() => set({ keys: keys.filter((_, j) => j !== i) }, "keys")}>×</button>
              </div>
              <FieldErrors diagnostics={fieldDiagnostics(diagnostics, `keys.${i}`)} />
            </li>
          );
        })}
      </ol>
      <button type="button" className="btn small" onClick={() => set({ keys: [...keys, { column: columns.find((c) => !keys.some((k) => k.column === c)) ?? "", descending: false }] }, "keys")}>
        + Add sort key
      </button>
      <FieldErrors diagnostics={diagnostics.filter((d) => d.field === "keys")} />
    </fieldset>
  );
}
