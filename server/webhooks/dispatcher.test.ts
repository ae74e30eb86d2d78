// Webhooks against a real SQLite database and a real local HTTP server: a failed run's JSON
// payload is POSTed once, retried with growing delays while the server answers 500, delivered
// when it answers 200; successes only when asked; runs from before the webhook was set are not
// sent; two dispatchers never send a run twice.
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../db";
import { WebhookDispatcher, type RunPayload } from "./dispatcher";
import { getWebhook, setWebhook } from "./webhooks";

const root = path.resolve(__dirname, "../..");
let dir: string;
let db: Db;
let server: http.Server;
let url: string;
const received: { path: string; body: RunPayload; contentType: string | undefined }[] = [];
let failNext = 0;
let clock = new Date();
const now = () => clock;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "etl-webhooks-"));
  db = createDb(`file:${path.join(dir, "test.db")}`, root);
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      received.push({ path: req.url ?? "", body: JSON.parse(body) as RunPayload, contentType: req.headers["content-type"] });
      res.statusCode = failNext-- > 0 ? 500 : 200;
      res.end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/secret-token-123`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await db.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function endedRun(pipelineId: string, id: string, state: "failed" | "succeeded") {
  await db.run.create({
    data: {
      id, pipelineId, pipelineVersion: 3, document: "{}", script: "", trigger: "schedule", state, endedAt: new Date(), startedAt: new Date(),
      ...(state === "failed" ? { errorCode: "PIPELINE", errorNodeId: "keep", errorMessage: "ValueError: no books today", errorUdfLine: 4 } : { rowsWritten: JSON.stringify({ out: 42 }) }),
    },
  });
}

describe("webhook dispatcher", () => {
  it("posts a failed run's payload, retries with backoff, and stops once delivered", async () => {
    await db.pipeline.create({ data: { id: "orders", name: "Orders", document: "{}" } });
    await endedRun("orders", "before-webhook", "failed"); // ended before the webhook existed: never sent
    await new Promise((r) => setTimeout(r, 5)); // the webhook's updatedAt is strictly later
    await setWebhook(db, { pipelineId: "orders", url, onSuccess: false });
    await endedRun("orders", "run-ok", "succeeded");
    await endedRun("orders", "run-bad", "failed");
    const logs: string[] = [];
    const a = new WebhookDispatcher({ db, now, retryBaseMs: 60_000, log: (m) => logs.push(m) });
    const b = new WebhookDispatcher({ db, now, retryBaseMs: 60_000, log: (m) => logs.push(m) });

    failNext = 2;
    clock = new Date();
    await Promise.all([a.tick(), b.tick()]);
    expect(received).toHaveLength(1); // one attempt, though two dispatchers ticked
    expect(received[0].path).toBe("/hooks/secret-token-123");
    expect(received[0].contentType).toBe("application/json");
    expect(received[0].body).toMatchObject({
      event: "run.failed",
      run: { id: "run-bad", pipelineId: "orders", pipelineVersion: 3, trigger: "schedule", state: "failed", error: { code: "PIPELINE", nodeId: "keep", message: "ValueError: no books today", udfLine: 4 } },
    });
    let d = await db.webhookDelivery.findUniqueOrThrow({ where: { runId: "run-bad" } });
    expect(d).toMatchObject({ state: "pending", attempts: 1, lastError: "HTTP 500" });
    expect(d.nextAttemptAt.getTime() - clock.getTime()).toBe(60_000);

    await Promise.all([a.tick(), b.tick()]); // not due yet
    expect(received).toHaveLength(1);
    clock = new Date(clock.getTime() + 60_000);
    await a.tick();
    d = await db.webhookDelivery.findUniqueOrThrow({ where: { runId: "run-bad" } });
    expect(d).toMatchObject({ state: "pending", attempts: 2 });
    expect(d.nextAttemptAt.getTime() - clock.getTime()).toBe(120_000); // doubled
    clock = new Date(clock.getTime() + 120_000);
    await Promise.all([a.tick(), b.tick()]);
    expect(received).toHaveLength(3);
    expect((await db.webhookDelivery.findUniqueOrThrow({ where: { runId: "run-bad" } })).state).toBe("delivered");
    clock = new Date(clock.getTime() + 3_600_000);
    await a.tick();
    expect(received).toHaveLength(3);
    expect(received.map((r) => r.body.run.id)).toEqual(["run-bad", "run-bad", "run-bad"]);
    // the token in the URL reaches neither the log nor the browser
    expect(logs.join("\n")).not.toContain("secret-token");
    const view = await getWebhook(db, "orders");
    expect(view.urlMasked).toBe(`http://127.0.0.1:${(server.address() as AddressInfo).port}/…`);
    expect(JSON.stringify(view)).not.toContain("secret-token");
    expect(view.recent[0]).toMatchObject({ runId: "run-bad", event: "run.failed", state: "delivered", attempts: 3 });
  });

  it("also sends successes when asked, and gives up after the last attempt", async () => {
    await db.pipeline.create({ data: { id: "clicks", name: "Clicks", document: "{}" } });
    // a port nothing listens on
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await setWebhook(db, { pipelineId: "clicks", url: `http://127.0.0.1:${port}/unreachable`, onSuccess: true });
    await endedRun("clicks", "clicks-ok", "succeeded");
    const a = new WebhookDispatcher({ db, now, retryBaseMs: 1_000, maxAttempts: 2, log: () => {} });
    clock = new Date();
    await a.tick();
    let d = await db.webhookDelivery.findUniqueOrThrow({ where: { runId: "clicks-ok" } });
    expect(d).toMatchObject({ state: "pending", attempts: 1, lastError: "could not connect (ECONNREFUSED)" });
    expect(JSON.parse(d.payload)).toMatchObject({ event: "run.succeeded", run: { rowsWritten: { out: 42 }, error: null } });
    clock = new Date(clock.getTime() + 1_000);
    await a.tick();
    d = await db.webhookDelivery.findUniqueOrThrow({ where: { runId: "clicks-ok" } });
    expect(d).toMatchObject({ state: "failed", attempts: 2 });
  });
});
