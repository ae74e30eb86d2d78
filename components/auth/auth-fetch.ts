// Calls to Better Auth's endpoints (/api/auth/*) from the sign-in and sign-up forms. Errors come
// back as the message the server gave, for the form to show.
export async function authPost(path: string, body: Record<string, unknown>): Promise<{ ok: true; data: Record<string, unknown> } | { ok: false; message: string }> {
  let res: Response;
  try {
    res = await fetch(`/api/auth${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  } catch {
    return { ok: false, message: "The server cannot be reached; try again." };
  }
  const data = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (res.ok) return { ok: true, data };
  const message = typeof data.message === "string" && data.message ? data.message : `Failed (${res.status})`;
  return { ok: false, message: friendly(message, res.status) };
}

function friendly(message: string, status: number): string {
  if (/invalid email or password/i.test(message)) return "Wrong email or password.";
  if (/already exists/i.test(message)) return "An account with this email already exists; sign in instead.";
  if (status === 429) return "Too many attempts; wait a minute and try again.";
  return message;
}
