// /sign-up: the first account of a fresh database (it becomes admin), or an invitation's link
// /sign-up?invite=TOKEN. Anything else is refused here and again by the server.
import { SignUpForm } from "@/components/auth/sign-up-form";
import { usableInvitation } from "@/server/auth/invitations";
import { signInEnabled } from "@/server/auth/settings";
import { db } from "@/server/db";
import { AppError } from "@/server/errors";
import "@/components/auth/auth.css";

export const dynamic = "force-dynamic";

export default async function Page({ searchParams }: { searchParams: Promise<{ invite?: string }> }) {
  const database = db();
  if (!(await signInEnabled(database))) {
    return <div className="auth-card"><h1>Sign-in is off</h1><p>This app runs in single-user mode: <a href="/">open it</a>.</p></div>;
  }
  const { invite } = await searchParams;
  if ((await database.user.count()) === 0) return <SignUpForm first invite={null} email={null} />;
  if (typeof invite !== "string" || !invite) {
    return <div className="auth-card"><h1>Sign-up needs an invitation</h1><p role="alert">Ask an admin for an invitation, then open its link.</p><p><a href="/sign-in">Sign in</a></p></div>;
  }
  try {
    const inv = await usableInvitation(database, invite);
    return <SignUpForm first={false} invite={invite} email={inv.email} />;
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    return <div className="auth-card"><h1>Invitation not usable</h1><p role="alert">{e.userMessage}</p><p><a href="/sign-in">Sign in</a></p></div>;
  }
}
