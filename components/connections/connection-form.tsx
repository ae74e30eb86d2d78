"use client";
// Create/edit form of one S3 connection, with Test (lists the buckets, or a bucket's prefix)
// and errors where they belong: zod's per field, S3's (wrong keys, no bucket, access denied)
// in an alert naming the problem. Secret inputs start empty and are never filled from the server.
import { useMutation } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useTRPC } from "@/lib/trpc";

export interface Editing {
  readonly id: string | null;
  readonly values?: { name: string; region: string; endpoint: string; pathStyle: boolean; auth: "keys" | "default-chain" };
}

type FieldErrors = Record<string, string>;

function errorsOf(e: unknown): { fields: FieldErrors; message: string | null } {
  const data = (e as { data?: { fieldErrors?: { path: string; message: string }[] | null } })?.data;
  const fields: FieldErrors = {};
  for (const f of data?.fieldErrors ?? []) fields[f.path.replace(/^values\./, "")] ??= f.message;
  return { fields, message: Object.keys(fields).length ? null : e instanceof Error ? e.message : String(e) };
}

function Input(props: { label: string; name: string; value: string; onChange: (v: string) => void; error?: string; type?: string; placeholder?: string; hint?: string }) {
  const id = useId();
  return (
    <div className={`field${props.error ? " invalid" : ""}`}>
      <label className="field-label" htmlFor={id}>{props.label}</label>
      <input
        id={id} name={props.name} className="input mono" type={props.type ?? "text"} value={props.value} placeholder={props.placeholder}
        autoComplete="off" spellCheck={false} aria-invalid={props.error ? true : undefined} aria-describedby={props.error ? `${id}-err` : undefined}
        onChange={(e) => props.onChange(e.target.value)}
      />
      {props.error ? <p id={`${id}-err`} className="field-error" role="alert">{props.error}</p> : props.hint ? <p className="field-hint muted">{props.hint}</p> : null}
    </div>
  );
}

export function ConnectionForm({ editing, onDone }: { editing: Editing; onDone: () => void }) {
  const trpc = useTRPC();
  const init = editing.values ?? { name: "", region: "us-east-1", endpoint: "", pathStyle: false, auth: "keys" as const };
  const [v, setV] = useState({ ...init, accessKeyId: "", secretAccessKey: "", sessionToken: "" });
  const [testBucket, setTestBucket] = useState("");
  const [errors, setErrors] = useState<{ fields: FieldErrors; message: string | null }>({ fields: {}, message: null });
  const [tested, setTested] = useState<string | null>(null);
  const create = useMutation(trpc.connections.create.mutationOptions());
  const update = useMutation(trpc.connections.update.mutationOptions());
  const test = useMutation(trpc.connections.test.mutationOptions());
  const set = (patch: Partial<typeof v>) => { setV({ ...v, ...patch }); setTested(null); };

  const values = () => ({
    name: v.name, region: v.region, endpoint: v.endpoint.trim() || null, pathStyle: v.pathStyle, auth: v.auth,
    ...(v.auth === "keys" ? { accessKeyId: v.accessKeyId || undefined, secretAccessKey: v.secretAccessKey || undefined, sessionToken: v.sessionToken || undefined } : {}),
  });

  async function onSave() {
    setErrors({ fields: {}, message: null });
    try {
      if (editing.id) await update.mutateAsync({ id: editing.id, values: values() });
      else await create.mutateAsync(values());
      onDone();
    } catch (e) {
      setErrors(errorsOf(e));
    }
  }

  async function onTest() {
    setErrors({ fields: {}, message: null });
    setTested(null);
    try {
      const r = await test.mutateAsync({ ...(editing.id ? { id: editing.id } : {}), values: values(), bucket: testBucket.trim() });
      const found = r.buckets
        ? `${r.buckets.length} bucket${r.buckets.length === 1 ? "" : "s"}: ${r.buckets.join(", ") || "(none)"}`
        : `${r.prefixes.length} prefixes, ${r.objects.length} objects in ${testBucket.trim()}`;
      setTested(`Connected. ${found}`);
    } catch (e) {
      setErrors(errorsOf(e));
    }
  }

  const editingSecrets = editing.id !== null;
  return (
    <section className="card connection-form" aria-label={editing.id ? `Edit connection ${init.name}` : "New S3 connection"}>
      <h2>{editing.id ? `Edit ${init.name}` : "New S3 connection"}</h2>
      <Input label="Name" name="name" value={v.name} onChange={(name) => set({ name })} error={errors.fields.name} hint="Nodes refer to the connection by this name." />
      <Input label="Region" name="region" value={v.region} onChange={(region) => set({ region })} error={errors.fields.region} />
      <Input label="Endpoint" name="endpoint" value={v.endpoint} onChange={(endpoint) => set({ endpoint })} error={errors.fields.endpoint} placeholder="empty for AWS, e.g. http://127.0.0.1:9000" hint="For S3-compatible stores (MinIO, Ceph, ...)." />
      <label className="check-row plain"><input type="checkbox" checked={v.pathStyle} onChange={(e) => set({ pathStyle: e.target.checked })} /> Path-style addressing (bucket in the path)</label>
      <fieldset className="field">
        <legend className="field-label">Credentials</legend>
        <label className="check-row plain"><input type="radio" name="auth" checked={v.auth === "keys"} onChange={() => set({ auth: "keys" })} /> Access key</label>
        <label className="check-row plain"><input type="radio" name="auth" checked={v.auth === "default-chain"} onChange={() => set({ auth: "default-chain" })} /> The environment&apos;s default chain (env vars, profile, instance role)</label>
      </fieldset>
      {v.auth === "keys" ? (
        <>
          <Input label="Access key id" name="accessKeyId" value={v.accessKeyId} onChange={(accessKeyId) => set({ accessKeyId })} error={errors.fields.accessKeyId} placeholder={editingSecrets ? "unchanged" : ""} />
          <Input label="Secret access key" name="secretAccessKey" type="password" value={v.secretAccessKey} onChange={(secretAccessKey) => set({ secretAccessKey })} error={errors.fields.secretAccessKey} placeholder={editingSecrets ? "unchanged" : ""} hint={editingSecrets ? "Leave empty to keep the stored secret." : undefined} />
          <Input label="Session token (optional)" name="sessionToken" type="password" value={v.sessionToken} onChange={(sessionToken) => set({ sessionToken })} error={errors.fields.sessionToken} placeholder={editingSecrets ? "unchanged" : ""} />
        </>
      ) : null}
      <Input label="Test with bucket (optional)" name="testBucket" value={testBucket} onChange={setTestBucket} hint="Empty: Test lists the buckets." />
      {errors.message ? <div className="alert bad" role="alert" aria-label="Connection error">{errors.message}</div> : null}
      {tested ? <div className="alert ok" role="status">{tested}</div> : null}
      <div className="dialog-footer">
        <button type="button" className="btn" onClick={onDone}>Cancel</button>
        <button type="button" className="btn" onClick={onTest} disabled={test.isPending}>{test.isPending ? "Testing…" : "Test"}</button>
        <button type="button" className="btn primary" onClick={onSave} disabled={create.isPending || update.isPending}>Save</button>
      </div>
    </section>
  );
}
