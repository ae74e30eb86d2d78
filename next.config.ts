// Next.js configuration: bundling, and the security headers every response carries.
import type { NextConfig } from "next";
import { PHASE_DEVELOPMENT_SERVER } from "next/constants";

/**
 * Content-Security-Policy for the app. Everything is served by the app itself (no CDN, fonts
 * bundled), so sources are 'self'. Inline styles are allowed because CodeMirror and
 * @xyflow/react set element styles at run time; inline scripts because Next.js streams the
 * page's data in inline <script> tags (a nonce would need a proxy and render every page
 * dynamically). `next dev` also needs eval (React Refresh) and its HMR websocket.
 */
export function contentSecurityPolicy(dev: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'unsafe-inline'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${dev ? " ws: wss:" : ""}`,
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** Headers for every response, pages and API alike. */
export function securityHeaders(dev: boolean): { key: string; value: string }[] {
  return [
    { key: "Content-Security-Policy", value: contentSecurityPolicy(dev) },
    { key: "X-Content-Type-Options", value: "nosniff" },
    // Not "no-referrer": under it browsers send `Origin: null` on the app's own POSTs.
    { key: "Referrer-Policy", value: "same-origin" },
    { key: "X-Frame-Options", value: "DENY" },
    { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()" },
    { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  ];
}

/** The config for a phase: `next dev` gets the looser dev policy; builds (whose headers go into the routes manifest) the strict one. */
export default function config(phase: string): NextConfig {
  return {
    reactStrictMode: true,
    // ETL_NEXT_DIST_DIR lets two checkouts' tools (e2e, bench) build side by side without sharing .next.
    distDir: process.env.ETL_NEXT_DIST_DIR || ".next",
    // Native and server-only packages stay out of the bundle.
    serverExternalPackages: ["better-sqlite3", "@prisma/client", "@prisma/adapter-better-sqlite3"],
    poweredByHeader: false,
    typescript: { ignoreBuildErrors: false },
    async headers() {
      return [{ source: "/:path*", headers: securityHeaders(phase === PHASE_DEVELOPMENT_SERVER) }];
    },
  };
}
