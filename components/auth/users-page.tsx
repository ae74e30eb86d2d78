"use client";
// The admin page: turn sign-in on (single-user mode), users and their roles, workspaces and
// their members, invitations (the link is shown once). Non-admins only read why they cannot.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/lib/trpc";
import { ROLES, ROLE_RIGHTS, type Role } from "@/server/auth/actor";
import { useAuth, useCan } from "./auth-context";
import { authPost } from "./auth-fetch";
import "@/components/ui/theme.css";
import "./auth.css";

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function UsersPage() {
  const admin = useCan("admin");
  if (!admin.ok) {
    return <div className="page"><div className="page-head"><h1>Users</h1></div><p className="alert bad" role="alert">You need the admin role to manage users.</p></div>;
  }
  return <AdminPage />;
}

function AdminPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { user: me } = useAuth();
  const overview = useQuery(trpc.admin.overview.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.admin.overview.queryKey() });
  const [error, setError] = useState<string | null>(null);
  const onError = (e: unknown) => setError(errorText(e));
  const onSuccess = () => { setError(null); void refresh(); };
  const setRole = useMutation(trpc.admin.setRole.mutationOptions({ onSuccess, onError }));
  const removeUser = useMutation(trpc.admin.removeUser.mutationOptions({ onSuccess, onError }));
  const createWs = useMutation(trpc.admin.createWorkspace.mutationOptions({ onSuccess, onError }));
  const setMember = useMutation(trpc.admin.setMember.mutationOptions({ onSuccess, onError }));
  const revoke = useMutation(trpc.admin.revokeInvitation.mutationOptions({ onSuccess, onError }));
  const d = overview.data;

  return (
    <div className="page admin-page">
      <div className="page-head"><h1>Users</h1></div>
      {error ? <p className="alert bad" role="alert">{error}</p> : null}
      {overview.isLoading ? <p className="muted">Loading…</p> : null}
      {d ? (
        <>
          <SignInSection on={d.signInEnabled} forced={d.signInForced} onChanged={refresh} />
          {d.signInEnabled ? (
            <>
              <section aria-label="Users">
                <h2>Users</h2>
                <table className="list-table" aria-label="Users">
                  <thead><tr><th>Email</th><th>Name</th><th>Role</th><th>Workspaces</th><th><span className="visually-hidden">Actions</span></th></tr></thead>
                  <tbody>
                    {d.users.map((u) => (
                      <tr key={u.id} aria-label={u.email}>
                        <td className="mono">{u.email}{u.id === me?.id ? <span className="muted small"> (you)</span> : null}</td>
                        <td>{u.name}</td>
                        <td>
                          <select className="input" aria-label={`Role of ${u.email}`} value={u.role} onChange={(e) => setRole.mutate({ userId: u.id, role: e.target.value as Role })}>
                            {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
                          </select>
                        </td>
                        <td className="small">{u.role === "admin" ? "all (admin)" : u.workspaceIds.map((w) => d.workspaces.find((x) => x.id === w)?.name ?? w).join(", ") || "none"}</td>
                        <td className="row-actions"><button type="button" className="btn small danger" onClick={() => removeUser.mutate({ userId: u.id })}>Remove</button></td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                <p className="muted small">{ROLES.map((r) => `${r}: ${ROLE_RIGHTS[r]}`).join(" · ")} (each role includes the ones before it)</p>
              </section>

              <section aria-label="Workspaces">
                <h2>Workspaces</h2>
                <form className="inline-form" aria-label="New workspace" onSubmit={(e) => { e.preventDefault(); const f = e.currentTarget; createWs.mutate({ name: String(new FormData(f).get("name") ?? "") }, { onSuccess: () => f.reset() }); }}>
                  <input className="input" name="name" aria-label="Workspace name" placeholder="Workspace name" required maxLength={80} />
                  <button type="submit" className="btn">Create workspace</button>
                </form>
                <table className="list-table" aria-label="Workspaces">
                  <thead><tr><th>Workspace</th><th>Members</th><th>Add member</th></tr></thead>
                  <tbody>
                    {d.workspaces.map((w) => {
                      const others = d.users.filter((u) => !w.memberIds.includes(u.id) && u.role !== "admin");
                      return (
                        <tr key={w.id} aria-label={w.name}>
                          <td>{w.name}</td>
                          <td>
                            {w.memberIds.length === 0 ? <span className="muted small">no members (admins see every workspace)</span> : null}
                            {w.memberIds.map((id) => {
                              const u = d.users.find((x) => x.id === id);
                              return (
                                <span key={id} className="member-chip">
                                  {u?.email ?? id}
                                  <button type="button" className="icon-btn" aria-label={`Remove ${u?.email ?? id} from ${w.name}`} onClick={() => setMember.mutate({ workspaceId: w.id, userId: id, member: false })}>×</button>
                                </span>
                              );
                            })}
                          </td>
                          <td>
                            <select className="input" aria-label={`Add member to ${w.name}`} value="" disabled={others.length === 0}
                              onChange={(e) => e.target.value && setMember.mutate({ workspaceId: w.id, userId: e.target.value, member: true })}>
                              <option value="">{others.length ? "Add…" : "everyone is in"}</option>
                              {others.map((u) => <option key={u.id} value={u.id}>{u.email}</option>)}
                            </select>
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </section>

              <InviteSection workspaces={d.workspaces} onCreated={refresh} />
              {d.invitations.length > 0 ? (
                <table className="list-table" aria-label="Pending invitations">
                  <thead><tr><th>Email</th><th>Role</th><th>Workspace</th><th>Expires</th><th><span className="visually-hidden">Actions</span></th></tr></thead>
                  <tbody>
                    {d.invitations.map((i) => (
                      <tr key={i.id} aria-label={i.email}>
                        <td className="mono">{i.email}</td><td>{i.role}</td><td>{i.workspaceName}</td>
                        <td className="small">{new Date(i.expiresAt).toLocaleString()}</td>
                        <td className="row-actions"><button type="button" className="btn small danger" onClick={() => revoke.mutate({ id: i.id })}>Revoke</button></td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ) : null}
            </>
          ) : null}
        </>
      ) : null}
    </div>
  );
}

function SignInSection({ on, forced, onChanged }: { on: boolean; forced: boolean; onChanged: () => void }) {
  const trpc = useTRPC();
  const [error, setError] = useState<string | null>(null);
  const enable = useMutation(trpc.admin.enableSignIn.mutationOptions());
  if (on) {
    return (
      <section aria-label="Sign-in">
        <h2>Sign-in</h2>
        <p>Sign-in is on{forced ? " (ETL_AUTH=on)" : ""}: everyone signs in, and new accounts need an invitation.</p>
      </section>
    );
  }
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const body = { email: String(f.get("email") ?? ""), name: String(f.get("name") ?? ""), password: String(f.get("password") ?? "") };
    setError(null);
    try {
      const r = await enable.mutateAsync(body);
      onChanged();
      if (!r.created) { window.location.href = "/sign-in"; return; }
      const signedIn = await authPost("/sign-in/email", { email: body.email, password: body.password });
      window.location.href = signedIn.ok ? "/settings/users" : "/sign-in";
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <section aria-label="Sign-in">
      <h2>Sign-in</h2>
      <p>Sign-in is off: this is the single-user app on 127.0.0.1, and whoever opens it is the admin. Turn sign-in on to share it:
        the account below becomes the admin, then you invite others.</p>
      <form className="auth-card flat" aria-label="Turn on sign-in" onSubmit={(e) => void submit(e)}>
        <label className="auth-field">Admin email<input className="input" name="email" type="email" required /></label>
        <label className="auth-field">Name<input className="input" name="name" required /></label>
        <label className="auth-field">Password<input className="input" name="password" type="password" minLength={8} required autoComplete="new-password" /></label>
        {error ? <p className="alert bad" role="alert">{error}</p> : null}
        <button type="submit" className="btn primary" disabled={enable.isPending}>Turn on sign-in</button>
      </form>
    </section>
  );
}

function InviteSection({ workspaces, onCreated }: { workspaces: { id: string; name: string }[]; onCreated: () => void }) {
  const trpc = useTRPC();
  const [link, setLink] = useState<{ email: string; url: string } | null>(null);
  const [copied, setCopied] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const invite = useMutation(trpc.admin.invite.mutationOptions());
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const email = String(f.get("email") ?? "");
    setError(null);
    setCopied(false);
    try {
      const r = await invite.mutateAsync({ email, role: String(f.get("role")) as Role, workspaceId: String(f.get("workspaceId")) });
      setLink({ email, url: `${window.location.origin}/sign-up?invite=${encodeURIComponent(r.token)}` });
      form.reset();
      onCreated();
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <section aria-label="Invitations">
      <h2>Invitations</h2>
      <form className="inline-form" aria-label="Invite" onSubmit={(e) => void submit(e)}>
        <input className="input" name="email" type="email" aria-label="Email to invite" placeholder="name@example.org" required />
        <select className="input" name="role" aria-label="Role" defaultValue="viewer">{ROLES.map((r) => <option key={r} value={r}>{r}</option>)}</select>
        <select className="input" name="workspaceId" aria-label="Workspace" defaultValue="default">{workspaces.map((w) => <option key={w.id} value={w.id}>{w.name}</option>)}</select>
        <button type="submit" className="btn primary" disabled={invite.isPending}>Create invitation</button>
      </form>
      {error ? <p className="alert bad" role="alert">{error}</p> : null}
      {link ? (
        <div className="invite-link" role="region" aria-label="Invitation link">
          <p>Send this link to {link.email}. It is shown only now, works once and expires in 7 days.</p>
          <input className="input mono" readOnly value={link.url} aria-label="Invitation link" onFocus={(e) => e.currentTarget.select()} />
          <button type="button" className="btn small" onClick={() => void navigator.clipboard?.writeText(link.url).then(() => setCopied(true), () => setCopied(false))}>{copied ? "Copied" : "Copy"}</button>
        </div>
      ) : null}
    </section>
  );
}
