"use client";
// The Connections page: named S3 connections used by read and write nodes. The list and the
// form only ever hold names and non-secret settings from the server; secrets typed into the
// form go to the server once (save or Test) and are never shown again ("leave empty to keep").
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Dialog } from "@/components/ui/dialog";
import { useTRPC } from "@/lib/trpc";
import { useCan } from "@/components/auth/auth-context";
import "@/components/ui/theme.css";
import "./connections.css";
import { ConnectionForm, type Editing } from "./connection-form";

export function ConnectionsPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const admin = useCan("admin");
  // Only admins may list connections' settings; others read why.
  const list = useQuery({ ...trpc.connections.list.queryOptions(), enabled: admin.ok });
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.connections.list.queryKey() });
  const remove = useMutation(trpc.connections.delete.mutationOptions({ onSuccess: refresh }));
  const [editing, setEditing] = useState<Editing | null>(null);
  const [deleting, setDeleting] = useState<{ id: string; name: string } | null>(null);

  return (
    <div className="page">
      <div className="page-head">
        <h1>Connections</h1>
        <div className="bar-spacer" />
        <button type="button" className="btn primary" disabled={!admin.ok} title={admin.title} onClick={() => setEditing({ id: null })}>New S3 connection</button>
      </div>
      <p className="muted">
        S3 (or S3-compatible) connections for read and write nodes. Secrets are encrypted on the server and never sent
        back to the browser; runs get them as environment variables of the Ray job.
      </p>
      {!admin.ok ? <p className="alert bad" role="alert">You need the admin role to see and change connections.</p> : null}
      {editing ? <ConnectionForm editing={editing} onDone={() => { setEditing(null); void refresh(); }} /> : null}
      {list.isLoading ? <p className="muted">Loading…</p> : null}
      {list.data?.length === 0 && !editing ? <div className="empty-state"><p><strong>No connections yet.</strong></p></div> : null}
      {list.data && list.data.length > 0 ? (
        <table className="list-table" aria-label="S3 connections">
          <thead><tr><th>Name</th><th>Endpoint</th><th>Region</th><th>Credentials</th><th><span className="visually-hidden">Actions</span></th></tr></thead>
          <tbody>
            {list.data.map((c) => (
              <tr key={c.id} aria-label={c.name}>
                <td className="mono">{c.name}</td>
                <td className="mono small">{c.endpoint ?? "AWS"}{c.pathStyle ? " (path-style)" : ""}</td>
                <td>{c.region}</td>
                <td>{c.auth === "default-chain" ? "environment's default chain" : "access key (stored encrypted)"}</td>
                <td className="row-actions">
                  <button type="button" className="btn small" disabled={!admin.ok} title={admin.title} onClick={() => setEditing({ id: c.id, values: { name: c.name, region: c.region, endpoint: c.endpoint ?? "", pathStyle: c.pathStyle, auth: c.auth } })}>Edit</button>
                  <button type="button" className="btn small danger" disabled={!admin.ok} title={admin.title} onClick={() => setDeleting({ id: c.id, name: c.name })}>Delete</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <Dialog
        open={deleting !== null} title={`Delete connection ${deleting?.name ?? ""}?`} onClose={() => setDeleting(null)}
        footer={<>
          <button type="button" className="btn" onClick={() => setDeleting(null)}>Cancel</button>
          <button type="button" className="btn danger-solid" onClick={() => deleting && remove.mutate({ id: deleting.id }, { onSuccess: () => setDeleting(null) })}>Delete</button>
        </>}
      >
        <p>Pipelines that use it will show an error on their read and write nodes until you pick another.</p>
      </Dialog>
    </div>
  );
}
