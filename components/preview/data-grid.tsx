"use client";
// A small virtualized grid for preview rows: only the rows in view (plus a few) are in the
// DOM, so thousands of rows scroll smoothly. Headers show column names and types and stay put;
// nulls read as a muted "null"; numbers are right-aligned; long text is cut to one line and a
// click on the cell shows it whole.
import { memo, useCallback, useLayoutEffect, useMemo, useRef, useState, type CSSProperties } from "react";
import type { PreviewColumn } from "@/server/preview/types";

export const ROW_HEIGHT = 26;
const OVERSCAN = 8;
const NUMERIC = /^(u?int\d+|float\d+|decimal)$/;

/** Rows [first, last) to render for a scroll position. Example: visibleRange(0, 260, 1000) // [0, 18] */
export function visibleRange(scrollTop: number, height: number, count: number, rowHeight = ROW_HEIGHT, overscan = OVERSCAN): [number, number] {
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(count, Math.ceil((scrollTop + height) / rowHeight) + overscan);
  return [first, Math.max(first, last)];
}

function columnWidth(c: PreviewColumn): number {
  if (c.type === "bool") return Math.max(72, c.name.length * 7.5 + 24);
  if (NUMERIC.test(c.type)) return Math.max(96, c.name.length * 7.5 + 24);
  if (c.type === "date32") return Math.max(108, c.name.length * 7.5 + 24);
  if (c.type === "timestamp") return Math.max(190, c.name.length * 7.5 + 24);
  return Math.max(150, Math.min(260, c.name.length * 7.5 + 24));
}

function display(v: unknown): string {
  if (typeof v === "string") return v;
  return JSON.stringify(v);
}

interface Expanded { row: number; col: number }

/** memo: the panel around it re-renders on every edit of the pipeline; the rows only change with a new answer. */
export const DataGrid = memo(function DataGrid({ columns, rows, label }: { columns: readonly PreviewColumn[]; rows: readonly (readonly unknown[])[]; label: string }) {
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(300);
  const [expanded, setExpanded] = useState<Expanded | null>(null);
  const widths = useMemo(() => columns.map(columnWidth), [columns]);
  const template = useMemo(() => `48px ${widths.map((w) => `${w}px`).join(" ")}`, [widths]);
  const total = useMemo(() => 48 + widths.reduce((a, b) => a + b, 0), [widths]);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const measure = () => setHeight(el.clientHeight);
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  useLayoutEffect(() => setExpanded(null), [rows]);

  const onScroll = useCallback(() => setScrollTop(scroller.current?.scrollTop ?? 0), []);
  const [first, last] = visibleRange(scrollTop, height, rows.length);
  const rowStyle = (i: number): CSSProperties => ({ gridTemplateColumns: template, top: i * ROW_HEIGHT, width: total });
  const cell = expanded ? rows[expanded.row]?.[expanded.col] : undefined;

  return (
    <div className="pv-grid-wrap">
      <div className="pv-grid nowheel" ref={scroller} onScroll={onScroll} role="grid" aria-label={label} aria-rowcount={rows.length + 1} aria-colcount={columns.length}>
        <div className="pv-head" role="row" aria-rowindex={1} style={{ gridTemplateColumns: template, width: total }}>
          <div className="pv-hcell pv-rownum" role="columnheader">#</div>
          {columns.map((c) => (
            <div key={c.name} role="columnheader" className={`pv-hcell${NUMERIC.test(c.type) ? " num" : ""}`} title={`${c.name}: ${c.type}`}>
              <span className="pv-hname">{c.name}</span>
              <span className="pv-htype">{c.type}</span>
            </div>
          ))}
        </div>
        <div className="pv-body" style={{ height: rows.length * ROW_HEIGHT, width: total }}>
          {rows.slice(first, last).map((row, k) => {
            const i = first + k;
            return (
              <div key={i} className="pv-row" role="row" aria-rowindex={i + 2} style={rowStyle(i)}>
                <div className="pv-cell pv-rownum" role="rowheader">{i + 1}</div>
                {columns.map((c, j) => {
                  const v = row[j];
                  if (v === null || v === undefined) return <div key={c.name} role="gridcell" className="pv-cell"><span className="pv-null">null</span></div>;
                  const text = display(v);
                  const long = text.length > 28 || text.includes("\n");
                  return (
                    <div key={c.name} role="gridcell" className={`pv-cell${NUMERIC.test(c.type) ? " num" : ""}${long ? " long" : ""}`} title={long ? undefined : text}>
                      {long ? (
                        <button type="button" className="pv-expand" onClick={() => setExpanded({ row: i, col: j })} aria-label={`Show the whole ${c.name} of row ${i + 1}`}>
                          {text}
                        </button>
                      ) : text}
                    </div>
                  );
                })}
              </div>
            );
          })}
        </div>
      </div>
      {expanded && cell !== undefined ? (
        <div className="pv-cellview" role="region" aria-label="Cell value">
          <div className="pv-cellview-head">
            <strong>{columns[expanded.col]?.name}</strong>
            <span className="muted"> · row {expanded.row + 1} · {display(cell).length.toLocaleString("en-US")} characters</span>
            <button type="button" className="btn ghost small" onClick={() => setExpanded(null)} aria-label="Close the cell value">✕</button>
          </div>
          <pre>{display(cell)}</pre>
        </div>
      ) : null}
    </div>
  );
});
