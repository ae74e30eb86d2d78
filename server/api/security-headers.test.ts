// The security headers next.config.ts puts on every response, read from the config itself:
// what they forbid (framing, plugins, other origins) and what the app needs them to allow.
import { describe, expect, it } from "vitest";
import { PHASE_DEVELOPMENT_SERVER, PHASE_PRODUCTION_BUILD } from "next/constants";
import config, { contentSecurityPolicy } from "../../next.config";

/** "a b; c d" -> { a: ["b"], c: ["d"] } */
const directives = (csp: string) => Object.fromEntries(csp.split(";").map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));

describe("security headers", () => {
  it("go on every response, pages and API alike", async () => {
    const rules = await config(PHASE_PRODUCTION_BUILD).headers!();
    expect(rules.map((r) => r.source)).toEqual(["/:path*"]);
    const headers = Object.fromEntries(rules[0].headers.map((h) => [h.key, h.value]));
    expect(headers).toMatchObject({
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "same-origin", // "no-referrer" would make browsers send Origin: null on the app's own POSTs
      "X-Frame-Options": "DENY",
      "Cross-Origin-Opener-Policy": "same-origin",
    });
    expect(headers["Permissions-Policy"]).toContain("camera=()");
    expect(headers["Content-Security-Policy"]).toBe(contentSecurityPolicy(false)); // the build's headers go to production
    const dev = await config(PHASE_DEVELOPMENT_SERVER).headers!();
    expect(dev[0].headers.find((h) => h.key === "Content-Security-Policy")?.value).toBe(contentSecurityPolicy(true));
  });

  it("the production policy loads nothing from other origins, runs no eval, and cannot be framed", () => {
    const csp = directives(contentSecurityPolicy(false));
    for (const sources of Object.values(csp)) for (const s of sources) expect(s).toMatch(/^('self'|'none'|'unsafe-inline'|data:|blob:)$/);
    expect(csp["script-src"]).not.toContain("'unsafe-eval'");
    expect(csp["object-src"]).toEqual(["'none'"]);
    expect(csp["frame-ancestors"]).toEqual(["'none'"]);
    expect(csp["base-uri"]).toEqual(["'self'"]);
    expect(csp["form-action"]).toEqual(["'self'"]);
  });

  it("allows what the app needs: inline styles (CodeMirror, @xyflow), Next's inline data scripts, same-origin fetch and SSE", () => {
    const csp = directives(contentSecurityPolicy(false));
    expect(csp["style-src"]).toContain("'unsafe-inline'");
    expect(csp["script-src"]).toEqual(["'self'", "'unsafe-inline'"]);
    expect(csp["connect-src"]).toEqual(["'self'"]);
    const dev = directives(contentSecurityPolicy(true));
    expect(dev["script-src"]).toContain("'unsafe-eval'"); // React Refresh in `next dev`
    expect(dev["connect-src"]).toContain("ws:"); // the HMR socket
  });
});
