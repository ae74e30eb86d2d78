// /sign-in: email + password (and OIDC when configured). The root layout sends signed-in
// visitors on, and signed-out visitors of a fresh database to /sign-up.
import { SignInForm } from "@/components/auth/sign-in-form";
import { oidcFromEnv } from "@/server/auth/better-auth";
import { signInEnabled } from "@/server/auth/settings";
import { db } from "@/server/db";

export const dynamic = "force-dynamic";

export default async function Page({ searchParams }: { searchParams: Promise<{ next?: string; error?: string; error_description?: string }> }) {
  if (!(await signInEnabled(db()))) {
    return <div className="auth-card"><h1>Sign-in is off</h1><p>This app runs in single-user mode: <a href="/">open it</a>.</p></div>;
  }
  const { next, error, error_description: description } = await searchParams;
  // Only same-app paths: never an open redirect.
  const target = typeof next === "string" && next.startsWith("/") && !next.startsWith("//") ? next : "/";
  // An OIDC sign-in that was refused comes back here with the reason (e.g. no invitation).
  const failed = error ? (typeof description === "string" && description ? description : "Signing in with the provider failed; try again.") : null;
  return <SignInForm oidcName={oidcFromEnv()?.name ?? null} next={target} initialError={failed} />;
}
