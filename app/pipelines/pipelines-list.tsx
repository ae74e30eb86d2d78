"use client";
// The pipelines page: list (name, last edit, last run), create, rename, duplicate, delete with
// confirmation, import a pipeline JSON file (checked in the browser first: nothing is saved
// unless it parses) and export to a file. With more than one workspace, a workspace column and
// filter, and "New pipeline" asks which workspace (the server checks it is one of the caller's).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useRef, useState, type ReactNode } from "react";
import { parseDocument, serializeDocument, type Diagnostic } from "@/server/pipeline";
import { Dialog } from "@/components/ui/dialog";
import { ToastProvider, useToast } from "@/components/ui/toast";
import { downloadText } from "@/lib/download";
import { relativeTime } from "@/lib/time";
import { useTRPC, useTRPCClient } from "@/lib/trpc";
import "@/components/ui/theme.css";
import { useCan } from "@/components/auth/auth-context";

type Row = { id: string; name: string; version: number; updatedAt: string; workspaceId: string };

export function PipelinesPage() {
  return (
    <ToastProvider>
      <PipelinesList />
    </ToastProvider>
  );
}

function PipelinesList() {
  const trpc = useTRPC();
  const edit = useCan("editor");
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const router = useRouter();
  const toast = useToast();
  const health = useQuery(trpc.health.check.queryOptions(undefined, { refetchInterval: 10_000 }));
  const workspaces = useQuery(trpc.workspaces.mine.queryOptions());
  const multi = (workspaces.data?.length ?? 0) > 1;
  const wsName = new Map((workspaces.data ?? []).map((w) => [w.id, w.name]));
  const [wsFilter, setWsFilter] = useState("");
  const [newWs, setNewWs] = useState("");
  const pipelines = useQuery(trpc.pipelines.list.queryOptions(wsFilter ? { workspaceId: wsFilter } : undefined));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.pipelines.list.queryKey() });
  const create = useMutation(trpc.pipelines.create.mutationOptions({ onSuccess: refresh }));
  const rename = useMutation(trpc.pipelines.rename.mutationOptions({ onSuccess: refresh }));
  const duplicate = useMutation(trpc.pipelines.duplicate.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.pipelines.delete.mutationOptions({ onSuccess: refresh }));

  const [creating, setCreating] = useState(false);
  const [renaming, setRenaming] = useState<Row | null>(null);
  const [deleting, setDeleting] = useState<Row | null>(null);
  const [importError, setImportError] = useState<{ file: string; diagnostics: Diagnostic[] } | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  async function onImport(file: File) {
    setImportError(null);
    const parsed = parseDocument(await file.text());
    if (!parsed.doc) {
      setImportError({ file: file.name, diagnostics: parsed.diagnostics });
      return;
    }
    try {
      const created = await create.mutateAsync({ name: parsed.doc.name, document: parsed.doc, ...(wsFilter ? { workspaceId: wsFilter } : {}) });
      toast(`Imported “${created.name}” as ${created.id}`, "success");
    } catch (e) {
      setImportError({ file: file.name, diagnostics: [{ code: "E_DOC_INVALID", severity: "error", message: e instanceof Error ? e.message : String(e) }] });
    }
  }

  async function onExport(row: Row) {
    const p = await client.pipelines.get.query({ id: row.id });
    downloadText(`${row.id}.pipeline.json`, serializeDocument(p.document), "application/json");
  }

  return (
    <div className="page">
      <p className="health-line">
        Database <span className={`badge ${health.data?.database.ok ? "ok" : "bad"}`}>{health.data?.database.ok ? "up" : "down"}</span>{" "}
        Ray <span className={`badge ${health.data?.ray.ok ? "ok" : "bad"}`}>{health.data?.ray.ok ? `up (${health.data.ray.version})` : "down"}</span>
      </p>
      <div className="page-head">
        <h1>Pipelines</h1>
        <div className="bar-spacer" />
        {multi ? (
          <select className="input" style={{ width: "auto" }} aria-label="Workspace filter" value={wsFilter} onChange={(e) => setWsFilter(e.target.value)}>
            <option value="">All workspaces</option>
            {workspaces.data!.map((w) => <option key={w.id} value={w.id}>{w.name}</option>)}
          </select>
        ) : null}
        <label className="btn" title={edit.title} aria-disabled={!edit.ok || undefined}>
          Import pipeline JSON
          <input
            ref={fileInput} type="file" accept=".json,application/json" className="visually-hidden" disabled={!edit.ok}
            onChange={(e) => {
              const f = e.target.files?.[0];
              if (f) void onImport(f);
              e.target.value = "";
            }}
          />
        </label>
        <button type="button" className="btn primary" disabled={!edit.ok} title={edit.title} onClick={() => setCreating(true)}>New pipeline</button>
      </div>

      {importError ? (
        <div className="alert bad" role="alert" aria-label="Import failed">
          <div className="alert-head">
            <strong>Could not import {importError.file}.</strong> Nothing was saved.
            <button type="button" className="icon-btn" aria-label="Dismiss import error" onClick={() => setImportError(null)}>×</button>
          </div>
          <ul>
            {importError.diagnostics.slice(0, 8).map((d, i) => (
              <li key={i}>{d.message}{d.hint ? <span className="hint"> — {d.hint}</span> : null}</li>
            ))}
          </ul>
        </div>
      ) : null}

      {pipelines.isLoading ? <p className="muted">Loading…</p> : null}
      {pipelines.data?.length === 0 ? (
        <div className="empty-state">
          <p><strong>No pipelines yet.</strong></p>
          <p className="muted">Create one and build it on the canvas, or import a pipeline JSON file.</p>
        </div>
      ) : null}
      {pipelines.data && pipelines.data.length > 0 ? (
        <table className="list-table">
          <thead><tr><th>Name</th>{multi ? <th>Workspace</th> : null}<th>Last edit</th><th>Last run</th><th>Version</th><th><span className="visually-hidden">Actions</span></th></tr></thead>
          <tbody>
            {pipelines.data.map((p) => (
              <tr key={p.id} aria-label={`${p.name} (${p.id})`}>
                <td>
                  <Link href={`/pipelines/${encodeURIComponent(p.id)}`} className="row-link">{p.name}</Link>
                  <div className="muted small mono">{p.id}</div>
                </td>
                {multi ? <td>{wsName.get(p.workspaceId) ?? p.workspaceId}</td> : null}
                <td title={new Date(p.updatedAt).toLocaleString()}>{relativeTime(p.updatedAt)}</td>
                <td><span className="run-state never">never run</span></td>
                <td>v{p.version}</td>
                <td className="row-actions">
                  <Link className="btn small" href={`/pipelines/${encodeURIComponent(p.id)}/schedules`} aria-label={`Schedules of ${p.name}`}>Schedules</Link>
                  <button type="button" className="btn small" aria-label={`Rename ${p.name}`} disabled={!edit.ok} title={edit.title} onClick={() => setRenaming(p)}>Rename</button>
                  <button type="button" className="btn small" aria-label={`Duplicate ${p.name}`} disabled={!edit.ok} title={edit.title} onClick={async () => {
                    const d = await duplicate.mutateAsync({ id: p.id });
                    toast(`Duplicated as “${d.name}”`, "success");
                  }}>Duplicate</button>
                  <button type="button" className="btn small" aria-label={`Export ${p.name}`} onClick={() => void onExport(p)}>Export</button>
                  <button type="button" className="btn small danger" aria-label={`Delete ${p.name}`} disabled={!edit.ok} title={edit.title} onClick={() => setDeleting(p)}>Delete</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}

      <NameDialog
        open={creating} title="New pipeline" action="Create" initial="" onClose={() => setCreating(false)}
        extra={multi ? (
          <label className="field">
            <span className="field-label">Workspace</span>
            <select className="input" value={newWs || wsFilter || workspaces.data![0].id} onChange={(e) => setNewWs(e.target.value)}>
              {workspaces.data!.map((w) => <option key={w.id} value={w.id}>{w.name}</option>)}
            </select>
          </label>
        ) : null}
        onSubmit={async (name) => {
          const workspaceId = multi ? newWs || wsFilter || workspaces.data![0].id : undefined;
          const p = await create.mutateAsync({ name, ...(workspaceId ? { workspaceId } : {}) });
          setCreating(false);
          router.push(`/pipelines/${encodeURIComponent(p.id)}`);
        }}
      />
      <NameDialog
        open={renaming !== null} title={`Rename “${renaming?.name ?? ""}”`} action="Rename" initial={renaming?.name ?? ""} onClose={() => setRenaming(null)}
        onSubmit={async (name) => {
          if (renaming) await rename.mutateAsync({ id: renaming.id, name, expectedVersion: renaming.version });
          setRenaming(null);
        }}
      />
      <Dialog
        open={deleting !== null} title="Delete pipeline?" onClose={() => setDeleting(null)}
        footer={
          <>
            <button type="button" className="btn" onClick={() => setDeleting(null)}>Cancel</button>
            <button type="button" className="btn danger-solid" onClick={async () => {
              if (deleting) await remove.mutateAsync({ id: deleting.id });
              toast(`Deleted “${deleting?.name}”`, "success");
              setDeleting(null);
            }}>Delete</button>
          </>
        }
      >
        <p>“{deleting?.name}” and all its versions will be deleted. This cannot be undone.</p>
      </Dialog>
    </div>
  );
}

function NameDialog(props: { open: boolean; title: string; action: string; initial: string; extra?: ReactNode; onClose: () => void; onSubmit: (name: string) => Promise<void> }) {
  const [name, setName] = useState(props.initial);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [lastOpen, setLastOpen] = useState(false);
  if (props.open !== lastOpen) {
    setLastOpen(props.open);
    if (props.open) {
      setName(props.initial);
      setError(null);
    }
  }
  return (
    <Dialog open={props.open} title={props.title} onClose={props.onClose}>
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          if (!name.trim()) return setError("Give it a name");
          setBusy(true);
          try {
            await props.onSubmit(name.trim());
          } catch (err) {
            setError(err instanceof Error ? err.message : String(err));
          } finally {
            setBusy(false);
          }
        }}
      >
        <label className="field">
          <span className="field-label">Name</span>
          <input className="input" autoFocus value={name} onChange={(e) => setName(e.target.value)} maxLength={200} />
        </label>
        {props.extra}
        {error ? <p className="field-error error" role="alert">{error}</p> : null}
        <div className="dialog-footer">
          <button type="button" className="btn" onClick={props.onClose}>Cancel</button>
          <button type="submit" className="btn primary" disabled={busy}>{props.action}</button>
        </div>
      </form>
    </Dialog>
  );
}
