"use client";
// What the browser knows about its caller, read by the root layout from the session (no tRPC
// call: every procedure refuses anonymous callers). useCan(role) disables controls a role does
// not allow, with a title saying which role they need.
import { createContext, useContext, type ReactNode } from "react";
import { roleAtLeast, type Role } from "@/server/auth/actor";

export interface AuthInfo {
  readonly signInEnabled: boolean;
  readonly user: { readonly id: string; readonly email: string; readonly name: string; readonly role: Role } | null;
}

/** Outside a provider (tests, stories) the caller is the single-user local admin. */
const LOCAL: AuthInfo = { signInEnabled: false, user: { id: "local", email: "local", name: "Local user", role: "admin" } };

const AuthContext = createContext<AuthInfo>(LOCAL);

export function AuthProvider({ value, children }: { value: AuthInfo; children: ReactNode }) {
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export const useAuth = (): AuthInfo => useContext(AuthContext);

export interface Can {
  /** True when the caller has at least the role. */
  readonly ok: boolean;
  /** Set on controls when !ok, e.g. "Needs the editor role". */
  readonly title: string | undefined;
}

/** Example: const edit = useCan("editor"); <button disabled={!edit.ok} title={edit.title}>Save</button> */
export function useCan(role: Role): Can {
  const { user } = useAuth();
  const ok = user !== null && roleAtLeast(user.role, role);
  return { ok, title: ok ? undefined : `Needs the ${role} role` };
}
