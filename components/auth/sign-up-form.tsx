"use client";
// The sign-up form: the first account of a fresh database ("Create the admin account"), or an
// invitation's link (/sign-up?invite=TOKEN, its email prefilled). The server decides the role.
import { useState, type FormEvent } from "react";
import { authPost } from "./auth-fetch";
import "@/components/ui/theme.css";
import "./auth.css";

export function SignUpForm({ first, invite, email }: { first: boolean; invite: string | null; email: string | null }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const password = String(f.get("password") ?? "");
    if (password !== String(f.get("confirm") ?? "")) {
      setError("The two passwords differ.");
      return;
    }
    setBusy(true);
    setError(null);
    const r = await authPost("/sign-up/email", {
      name: String(f.get("name") ?? ""), email: String(f.get("email") ?? ""), password, ...(invite ? { inviteToken: invite } : {}),
    });
    if (!r.ok) {
      setBusy(false);
      setError(r.message);
      return;
    }
    window.location.href = "/";
  };
  return (
    <div className="auth-card">
      <h1>{first ? "Create the admin account" : "Create your account"}</h1>
      <p className="muted">
        {first ? "This is the first account of this app: it becomes the admin, who invites everyone else." : "You were invited: choose your name and password."}
      </p>
      <form onSubmit={(e) => void submit(e)} aria-label="Sign up">
        <label className="auth-field">Name<input className="input" name="name" autoComplete="name" required /></label>
        <label className="auth-field">Email<input className="input" name="email" type="email" autoComplete="email" required defaultValue={email ?? ""} readOnly={email !== null} /></label>
        <label className="auth-field">Password<input className="input" name="password" type="password" autoComplete="new-password" minLength={8} required /></label>
        <label className="auth-field">Repeat password<input className="input" name="confirm" type="password" autoComplete="new-password" minLength={8} required /></label>
        {error ? <p className="alert bad" role="alert">{error}</p> : null}
        <button type="submit" className="btn primary" disabled={busy}>{first ? "Create the admin account" : "Create account"}</button>
      </form>
      <p className="muted small"><a href="/sign-in">Already have an account? Sign in</a></p>
    </div>
  );
}
