"use client";
// The sign-in form: email + password, and "Sign in with <provider>" when OIDC is configured.
// Errors (wrong password, too many attempts) show in the form.
import { useState, type FormEvent } from "react";
import { authPost } from "./auth-fetch";
import "@/components/ui/theme.css";
import "./auth.css";

export function SignInForm({ oidcName, next, initialError = null }: { oidcName: string | null; next: string; initialError?: string | null }) {
  const [error, setError] = useState<string | null>(initialError);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    const r = await authPost("/sign-in/email", { email: String(f.get("email") ?? ""), password: String(f.get("password") ?? "") });
    if (!r.ok) {
      setBusy(false);
      setError(r.message);
      return;
    }
    window.location.href = next;
  };
  const sso = async () => {
    setBusy(true);
    const r = await authPost("/sign-in/social", { provider: "oidc", callbackURL: next, errorCallbackURL: "/sign-in" });
    if (r.ok && typeof r.data.url === "string") window.location.href = r.data.url;
    else {
      setBusy(false);
      setError(r.ok ? "The sign-in provider did not answer." : r.message);
    }
  };
  return (
    <div className="auth-card">
      <h1>Sign in</h1>
      <form onSubmit={(e) => void submit(e)} aria-label="Sign in">
        <label className="auth-field">Email<input className="input" name="email" type="email" autoComplete="email" required /></label>
        <label className="auth-field">Password<input className="input" name="password" type="password" autoComplete="current-password" required /></label>
        {error ? <p className="alert bad" role="alert">{error}</p> : null}
        <button type="submit" className="btn primary" disabled={busy}>Sign in</button>
      </form>
      {oidcName ? (
        <div className="auth-alt">
          <button type="button" className="btn" onClick={() => void sso()} disabled={busy}>Sign in with {oidcName}</button>
        </div>
      ) : null}
      <p className="muted small">No account? Ask an admin for an invitation.</p>
    </div>
  );
}
