import type { Metadata } from "next";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { AuthProvider } from "@/components/auth/auth-context";
import { UserMenu } from "@/components/auth/user-menu";
import { Providers } from "@/components/providers";
import { oidcFromEnv } from "@/server/auth/better-auth";
import { authState } from "@/server/auth/session";
import "./globals.css";

export const metadata: Metadata = { title: "Ray ETL Designer", description: "Visual ETL pipelines compiled to Ray Data" };

const AUTH_PAGES = ["/sign-in", "/sign-up"];

export default async function RootLayout({ children }: { children: ReactNode }) {
  const h = await headers();
  // The session is read on every render: nothing about the caller outlives a sign-out or role change.
  const state = await authState(h, undefined, oidcFromEnv()?.name ?? null);
  const where = h.get("x-etl-path") ?? "/";
  const onAuthPage = AUTH_PAGES.some((p) => where === p || where.startsWith(`${p}?`) || where.startsWith(`${p}/`));
  if (state.signInEnabled && !state.user && !onAuthPage) {
    redirect(state.noUsers ? "/sign-up" : `/sign-in${where === "/" ? "" : `?next=${encodeURIComponent(where)}`}`);
  }
  if (state.signInEnabled && state.user && onAuthPage) redirect("/");
  return (
    <html lang="en">
      <body>
        <AuthProvider value={{ signInEnabled: state.signInEnabled, user: state.user }}>
          <Providers>
            <header className="topbar">
              <a href="/" className="brand">Ray ETL Designer</a>
              {state.user ? (
                <nav className="topnav" aria-label="Main">
                  <a href="/">Dashboard</a>
                  <a href="/pipelines">Pipelines</a>
                  <a href="/runs">Runs</a>
                  <a href="/connections">Connections</a>
                </nav>
              ) : null}
              <UserMenu />
            </header>
            <main>{children}</main>
          </Providers>
        </AuthProvider>
      </body>
    </html>
  );
}
