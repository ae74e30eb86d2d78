"use client";
// The top bar's right side: the signed-in user's email and role and Sign out (sign-in on), and
// the Users and Audit links for admins.
import { useState } from "react";
import { useAuth } from "./auth-context";

export function UserMenu() {
  const { signInEnabled, user } = useAuth();
  const [busy, setBusy] = useState(false);
  const admin = user?.role === "admin";
  const signOut = async () => {
    setBusy(true);
    await fetch("/api/auth/sign-out", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }).catch(() => null);
    window.location.href = "/sign-in";
  };
  return (
    <div className="user-menu">
      {admin ? <a href="/settings/users">Users</a> : null}
      {admin ? <a href="/settings/audit">Audit</a> : null}
      {signInEnabled && user ? (
        <>
          <span className="user-id" aria-label="Signed in as">
            {user.email} <span className="user-role">{user.role}</span>
          </span>
          <button type="button" className="signout" onClick={() => void signOut()} disabled={busy}>Sign out</button>
        </>
      ) : null}
    </div>
  );
}
