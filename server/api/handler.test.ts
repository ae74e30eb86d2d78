// The tRPC endpoint as a browser, a script and an attacker's page reach it: real requests through
// the fetch adapter, the request guards and the one error formatter, on a real SQLite database.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createDb, type Db } from "../db";
import { requestLimits } from "../limits";
import { reviewsPipeline } from "../pipeline/test-fixtures";
import { createTrpcHandler } from "./handler";
import { allowedHosts } from "./request-guard";
import { publicProcedure, router } from "./trpc";
import { LOCAL_ACTOR } from "../auth/actor";

const APP = "http://127.0.0.1:3000";
let dir: string;
let database: Db;
let handle: (req: Request) => Promise<Response>;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "etl-handler-"));
  database = createDb(`file:${path.join(dir, "test.db")}`, path.resolve(__dirname, "../.."));
  handle = createTrpcHandler({ createContext: () => ({ db: database, actor: LOCAL_ACTOR }), maxBodyBytes: 100_000 });
});
afterAll(async () => {
  await database.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A POST as the app's own tRPC client sends it from the page at APP, with `headers` on top. */
function post(proc: string, body: unknown, headers: Record<string, string> = {}, h = handle): Promise<Response> {
  return h(new Request(`${APP}/api/trpc/${proc}`, {
    method: "POST",
    headers: { host: "127.0.0.1:3000", "content-type": "application/json", origin: APP, "sec-fetch-site": "same-origin", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  }));
}
const withoutBrowserHeaders = { origin: "", "sec-fetch-site": "" };
const stripEmpty = (h: Record<string, string>) => Object.fromEntries(Object.entries(h).filter(([, v]) => v !== ""));

async function pipelineNames(): Promise<string[]> {
  const res = await handle(new Request(`${APP}/api/trpc/pipelines.list`, { headers: { host: "127.0.0.1:3000" } }));
  return ((await res.json()) as { result: { data: { name: string }[] } }).result.data.map((p) => p.name);
}

interface ErrorBody { error: { message: string; data: { code: string; httpStatus: number; appCode: string | null; diagnostics: { code: string }[] | null } } }

describe("tRPC endpoint: who may change things", () => {
  it("accepts mutations from the app's own pages", async () => {
    const res = await post("pipelines.create", { name: "From the page" });
    expect(res.status).toBe(200);
    expect(await pipelineNames()).toContain("From the page");
  });

  it("accepts the browser client's batched calls", async () => {
    const res = await post("pipelines.create,pipelines.create?batch=1", { 0: { name: "Batch A" }, 1: { name: "Batch B" } });
    expect(res.status).toBe(200);
    expect(await pipelineNames()).toEqual(expect.arrayContaining(["Batch A", "Batch B"]));
  });

  it("accepts scripts without browser headers (CLI, Playwright's request context, the bench)", async () => {
    const res = await handle(new Request(`${APP}/api/trpc/pipelines.create`, {
      method: "POST", headers: stripEmpty({ "content-type": "application/json; charset=utf-8", ...withoutBrowserHeaders }), body: JSON.stringify({ name: "From a script" }),
    }));
    expect(res.status).toBe(200);
  });

  it("trusts the browser's Sec-Fetch-Site over an Origin of null (sent under some referrer policies)", async () => {
    const res = await post("pipelines.create", { name: "Null origin, same site" }, { origin: "null" });
    expect(res.status).toBe(200);
  });

  it("accepts the app behind a reverse proxy that keeps its own Host", async () => {
    const res = await post("pipelines.create", { name: "Proxied" }, { origin: "https://etl.example.com", "x-forwarded-host": "etl.example.com" });
    expect(res.status).toBe(200);
  });

  it.each([
    ["another site (Sec-Fetch-Site)", { "sec-fetch-site": "cross-site", origin: "https://evil.example" }],
    ["another app on this machine (same-site, other port)", { "sec-fetch-site": "same-site", origin: "http://127.0.0.1:8265" }],
    ["another origin from an older browser (Origin only)", { "sec-fetch-site": "", origin: "https://evil.example" }],
    ["a sandboxed frame (Origin: null)", { "sec-fetch-site": "", origin: "null" }],
  ])("refuses a mutation from %s, and changes nothing", async (_, headers) => {
    const name = `Attack ${Math.random()}`;
    const res = await handle(new Request(`${APP}/api/trpc/pipelines.create`, {
      method: "POST",
      headers: stripEmpty({ host: "127.0.0.1:3000", "content-type": "application/json", ...headers }),
      body: JSON.stringify({ name }),
    }));
    expect(res.status).toBe(403);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.message).toBe("Requests from other sites are refused: use the app itself, or call the API without a browser");
    expect(body.error.data).toMatchObject({ code: "FORBIDDEN", appCode: "CROSS_SITE" });
    expect(await pipelineNames()).not.toContain(name);
  });

  it.each([
    ["an HTML form (urlencoded)", "application/x-www-form-urlencoded", "name=Form"],
    ["an HTML form (multipart)", "multipart/form-data; boundary=x", '--x\r\nContent-Disposition: form-data; name="name"\r\n\r\nForm\r\n--x--\r\n'],
    ["an HTML form (text/plain)", "text/plain", '{"name":"Form"}'],
    ["raw bytes", "application/octet-stream", '{"name":"Form"}'],
  ])("refuses a POST that is not JSON: %s", async (_, type, body) => {
    const res = await post("pipelines.create", body, { "content-type": type, origin: "", "sec-fetch-site": "" });
    expect(res.status).toBe(415);
    expect(((await res.json()) as ErrorBody).error.data.code).toBe("UNSUPPORTED_MEDIA_TYPE");
    expect(await pipelineNames()).not.toContain("Form");
  });

  it("says what it wants when it refuses a body that tRPC would otherwise accept", async () => {
    const res = await post("pipelines.create", '{"name":"Form"}', { "content-type": "application/octet-stream" });
    const body = (await res.json()) as ErrorBody;
    expect(body.error.message).toBe("The API accepts JSON only: send the body with content-type: application/json (got application/octet-stream)");
    expect(body.error.data.appCode).toBe("NOT_JSON");
  });
});

describe("tRPC endpoint: host names (DNS rebinding)", () => {
  it("refuses a page whose own name was re-pointed at this machine, for reads and writes", async () => {
    const rebound = { host: "evil.example:3000", origin: "http://evil.example:3000", "sec-fetch-site": "same-origin" };
    const read = await handle(new Request(`${APP}/api/trpc/pipelines.list`, { headers: rebound }));
    expect(read.status).toBe(403);
    const body = (await read.json()) as ErrorBody;
    expect(body.error.data.appCode).toBe("UNKNOWN_HOST");
    expect(body.error.message).toBe("This server does not answer to that host name; add it to ETL_ALLOWED_HOSTS if you reach the app through it");
    const name = `Rebound ${Math.random()}`;
    expect((await post("pipelines.create", { name }, rebound)).status).toBe(403);
    expect(await pipelineNames()).not.toContain(name);
  });

  it("answers to loopback names on any port, and to the names in ETL_ALLOWED_HOSTS", async () => {
    for (const host of ["localhost:3000", "[::1]:3000", "127.0.0.1:8080"]) {
      expect((await post("pipelines.create", { name: `via ${host}` }, { host, origin: `http://${host}` })).status, host).toBe(200);
    }
    expect(allowedHosts({ ETL_ALLOWED_HOSTS: "etl.example.com, Other:8080" })).toEqual(["127.0.0.1", "localhost", "[::1]", "etl.example.com", "other:8080"]);
    const named = createTrpcHandler({ createContext: () => ({ db: database, actor: LOCAL_ACTOR }), allowedHosts: allowedHosts({ ETL_ALLOWED_HOSTS: "etl.example.com" }) });
    const res = await post("pipelines.create", { name: "By name" }, { host: "etl.example.com", origin: "https://etl.example.com" }, named);
    expect(res.status).toBe(200);
  });
});

describe("tRPC endpoint: limits", () => {
  it("refuses a body over the limit with 413 and says the limit", async () => {
    const res = await post("pipelines.create", { name: "Big", document: { description: "x".repeat(200_000) } });
    expect(res.status).toBe(413);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.message).toBe("The request is larger than the server accepts (100 kB); a pipeline may be at most 5 MB");
    expect(body.error.data).toMatchObject({ code: "PAYLOAD_TOO_LARGE", appCode: "REQUEST_TOO_LARGE" });
    expect(await pipelineNames()).not.toContain("Big");
  });

  it("cuts off a streamed body without content-length once it passes the limit", async () => {
    const chunk = new TextEncoder().encode(`{"name":"Streamed","pad":"${"x".repeat(50_000)}`);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 10) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const res = await handle(new Request(`${APP}/api/trpc/pipelines.create`, {
      method: "POST", headers: { "content-type": "application/json" }, body: stream, duplex: "half",
    } as RequestInit));
    expect(res.status).toBe(413);
    expect(((await res.json()) as ErrorBody).error.data.appCode).toBe("REQUEST_TOO_LARGE");
    expect(sent).toBeLessThan(10); // the rest was never read
  });

  it("takes the body limit from ETL_MAX_REQUEST_BYTES, 10 MB by default", () => {
    expect(requestLimits({}).maxBodyBytes).toBe(10_000_000);
    expect(requestLimits({ ETL_MAX_REQUEST_BYTES: "2000000" }).maxBodyBytes).toBe(2_000_000);
    expect(() => requestLimits({ ETL_MAX_REQUEST_BYTES: "lots" })).toThrow();
  });

  it("refuses a pipeline over the node limit on create and on save, with the diagnostic", async () => {
    const big = createTrpcHandler({ createContext: () => ({ db: database, actor: LOCAL_ACTOR }) });
    const doc = reviewsPipeline();
    const extra = Array.from({ length: 10_000 }, (_, i) => ({ id: `s${i}`, kind: "sort", params: { keys: [] }, position: { x: 0, y: 0 } }));
    const tooBig = { ...doc, nodes: [...doc.nodes, ...extra] };
    const created = (await (await post("pipelines.create", { name: "Huge", document: tooBig }, {}, big)).json()) as ErrorBody;
    expect(created.error.data).toMatchObject({ httpStatus: 400, appCode: "PIPELINE_INVALID", diagnostics: [expect.objectContaining({ code: "E_PIPELINE_TOO_LARGE" })] });
    expect(created.error.message).toBe("The pipeline has 10007 nodes; the limit is 10000");

    const ok = (await (await post("pipelines.create", { name: "Grows", document: doc }, {}, big)).json()) as { result: { data: { id: string } } };
    const saved = await post("pipelines.save", { id: ok.result.data.id, expectedVersion: 1, document: tooBig }, {}, big);
    expect(saved.status).toBe(400);
    expect(((await saved.json()) as ErrorBody).error.message).toBe("The pipeline has 10007 nodes; the limit is 10000");
  });
});

describe("tRPC endpoint: failures never show internals", () => {
  // under a declared path (server/api/access.ts refuses undeclared ones before they run)
  const failing = router({
    health: router({
      check: publicProcedure.mutation(() => {
        throw new Error(`ENOENT: no such file or directory, open '${path.join(dir, "secret-key")}'`);
      }),
    }),
  });

  it("answers an internal error with a plain message and logs the details on the server", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const h = createTrpcHandler({ router: failing, createContext: () => ({ db: database, actor: LOCAL_ACTOR }) });
      const res = await post("health.check", {}, {}, h);
      expect(res.status).toBe(500);
      const text = await res.text();
      expect(JSON.parse(text).error.message).toBe("Something went wrong on the server; see the server log.");
      for (const leak of ["ENOENT", dir, "secret-key", "    at ", ".ts:", "stack"]) expect(text).not.toContain(leak);
      expect(String(log.mock.calls.flat().map((x) => (x instanceof Error ? x.message : x)))).toContain("secret-key");
    } finally {
      log.mockRestore();
    }
  });

  it("hides and logs a failure to set up the request (the database cannot be opened)", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const h = createTrpcHandler({ createContext: () => { throw new Error(`SQLITE_CANTOPEN: ${path.join(dir, "app.db")}`); } });
      const res = await post("pipelines.create", { name: "No database" }, {}, h);
      expect(res.status).toBe(500);
      const text = await res.text();
      expect(JSON.parse(text).error.message).toBe("Something went wrong on the server; see the server log.");
      expect(text).not.toContain("SQLITE_CANTOPEN");
      expect(text).not.toContain(dir);
      expect(String(log.mock.calls.flat().map((x) => (x instanceof Error ? x.message : x)))).toContain("SQLITE_CANTOPEN");
    } finally {
      log.mockRestore();
    }
  });

  it("answers malformed JSON and unknown procedures without a stack trace", async () => {
    for (const res of [await post("pipelines.create", "{not json"), await post("nope.nothing", {})]) {
      expect([400, 404]).toContain(res.status);
      const text = await res.text();
      expect(text).not.toContain("    at ");
      expect(text).not.toContain(path.resolve(__dirname, "../.."));
    }
  });
});
