// Better Auth's endpoints (sign-in, sign-up, sign-out, session, OIDC callback) under /api/auth.
// With sign-in off (single-user mode) there are no accounts: every endpoint answers 404.
import { toNextJsHandler } from "better-auth/next-js";
import { auth } from "@/server/auth/better-auth";
import { signInEnabled } from "@/server/auth/settings";
import { db } from "@/server/db";

export const dynamic = "force-dynamic";

const handle = async (req: Request): Promise<Response> => {
  if (!(await signInEnabled(db()))) return Response.json({ message: "Sign-in is off: this app runs in single-user mode." }, { status: 404 });
  return auth().handler(req);
};

export const { GET, POST } = toNextJsHandler(handle);
