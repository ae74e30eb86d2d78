"use client";
// S3 in the read and write forms: which saved connection a node uses (secrets never reach the
// browser: the server answers with names only), and an object browser over that connection —
// buckets, then prefixes; choosing one fills the node's s3:// path.
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { Diagnostic } from "@/server/pipeline";
import { useTRPC } from "@/lib/trpc";
import { fieldDiagnostics, SelectField } from "./fields";
import "@/components/connections/connections.css";

export function ConnectionPicker(props: { value: string | undefined; onChange: (v: string | undefined) => void; diagnostics: readonly Diagnostic[] }) {
  const trpc = useTRPC();
  const list = useQuery({ ...trpc.connections.names.queryOptions(), staleTime: 30_000 });
  const names = list.data?.map((c) => c.name) ?? [];
  const value = props.value ?? "";
  const options = [{ value: "", label: "None (local path, or the default AWS chain)" }, ...names.map((n) => ({ value: n, label: n }))];
  if (value && !names.includes(value)) options.push({ value, label: `${value} (missing)` });
  return (
    <>
      <SelectField label="S3 connection" value={value} options={options} onChange={(v) => props.onChange(v || undefined)} diagnostics={fieldDiagnostics(props.diagnostics, "connection")} />
      {list.data && names.length === 0 ? <p className="field-hint muted">No S3 connections yet: add one on the <Link href="/connections">Connections</Link> page.</p> : null}
    </>
  );
}

function parse(path: string): { bucket: string; prefix: string } {
  const m = /^s3a?:\/\/([^/]*)\/?(.*)$/i.exec(path.trim());
  return m ? { bucket: m[1], prefix: m[2] } : { bucket: "", prefix: "" };
}

/** Browses `connection`; `onPick("s3://bucket/prefix")` when the user chooses a place. */
export function ObjectBrowser(props: { connection: string; path: string; onPick: (path: string) => void; pickLabel: string }) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const [where, setWhere] = useState(() => parse(props.path));
  const q = useQuery({
    ...trpc.connections.browse.queryOptions({ connection: props.connection, bucket: where.bucket, prefix: where.prefix }),
    enabled: open, staleTime: 10_000, retry: false,
  });
  if (!open) {
    return <button type="button" className="btn small" onClick={() => { setWhere(parse(props.path)); setOpen(true); }}>Browse S3…</button>;
  }
  const up = () => {
    if (!where.prefix) return setWhere({ bucket: "", prefix: "" });
    const parts = where.prefix.replace(/\/$/, "").split("/");
    parts.pop();
    setWhere({ bucket: where.bucket, prefix: parts.length ? parts.join("/") + "/" : "" });
  };
  const here = `s3://${where.bucket}/${where.prefix}`.replace(/\/$/, "");
  return (
    <div className="object-browser" role="region" aria-label="S3 object browser">
      <div className="ob-head">
        <span className="mono">{where.bucket ? here : `${props.connection}: buckets`}</span>
        <span className="ob-actions">
          {where.bucket ? <button type="button" className="btn small" onClick={up}>Up</button> : null}
          {where.bucket ? <button type="button" className="btn small primary" onClick={() => { props.onPick(here); setOpen(false); }}>{props.pickLabel}</button> : null}
          <button type="button" className="btn small" onClick={() => setOpen(false)}>Close</button>
        </span>
      </div>
      {q.isLoading ? <p className="muted">Listing…</p> : null}
      {q.error ? <div className="alert bad" role="alert">{q.error.message}</div> : null}
      {q.data ? (
        <ul className="ob-list">
          {q.data.buckets?.map((b) => (
            <li key={b}><button type="button" className="link" onClick={() => setWhere({ bucket: b, prefix: "" })}>{b}/</button></li>
          ))}
          {q.data.prefixes.map((p) => (
            <li key={p}><button type="button" className="link" onClick={() => setWhere({ bucket: where.bucket, prefix: p })}>{p.slice(where.prefix.length)}</button></li>
          ))}
          {q.data.objects.map((o) => (
            <li key={o.key} className="muted">
              <button type="button" className="link" onClick={() => { props.onPick(`s3://${where.bucket}/${o.key}`); setOpen(false); }}>{o.key.slice(where.prefix.length)}</button>
              {" "}<span className="small">{o.size.toLocaleString("en-US")} bytes</span>
            </li>
          ))}
          {q.data.parquetHere ? <li className="ok-note">Parquet dataset here</li> : null}
          {!q.data.buckets?.length && !q.data.prefixes.length && !q.data.objects.length ? <li className="muted">(empty)</li> : null}
        </ul>
      ) : null}
    </div>
  );
}
