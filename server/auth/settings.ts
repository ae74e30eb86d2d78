// Whether sign-in is on, and the bind rule that depends on it. Sign-in is on when the admin turned
// it on (AppSetting "auth.enabled" = "true") or the environment says ETL_AUTH=on; otherwise the
// app is the single-user embedded app: loopback only, no accounts, every caller the local admin.
import type { Db } from "../db";

export const AUTH_ENABLED_KEY = "auth.enabled";

/** ETL_AUTH=on (or true/1) forces sign-in on, whatever the database says. */
export function signInForcedByEnv(source: Readonly<Record<string, string | undefined>> = process.env): boolean {
  return /^(on|true|1)$/i.test(source.ETL_AUTH?.trim() ?? "");
}

/** Is sign-in on? Read on every call (one indexed row): turning it on takes effect on the next request. */
export async function signInEnabled(database: Db): Promise<boolean> {
  if (signInForcedByEnv()) return true;
  const row = await database.appSetting.findUnique({ where: { key: AUTH_ENABLED_KEY } });
  return row?.value === "true";
}

export async function setSignInEnabled(database: Db, on: boolean): Promise<void> {
  const value = on ? "true" : "false";
  await database.appSetting.upsert({ where: { key: AUTH_ENABLED_KEY }, create: { key: AUTH_ENABLED_KEY, value }, update: { value } });
}

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

export const isLoopbackHost = (host: string): boolean => LOOPBACK_HOSTS.has(host.trim().toLowerCase());

/**
 * Why the app must not bind to `host`, or null when it may. Pipelines run arbitrary Python on the
 * cluster, so anything but loopback needs sign-in.
 * Example: bindRefusal("0.0.0.0", false) -> "Refusing to bind to 0.0.0.0 ..."; bindRefusal("0.0.0.0", true) -> null
 */
export function bindRefusal(host: string, signInOn: boolean): string | null {
  if (isLoopbackHost(host) || signInOn) return null;
  return `Refusing to bind to ${host} without sign-in: anyone reaching it could run code on the cluster. ` +
    `Start with ETL_AUTH=on (or turn sign-in on at /settings/users) to bind to other addresses, or bind to 127.0.0.1.`;
}
