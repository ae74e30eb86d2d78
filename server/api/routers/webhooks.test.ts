// The webhooks router through a tRPC caller on a real SQLite database: a bad URL is refused
// under its field and nothing is saved; the saved URL comes back masked.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../../db";
import { createCaller } from "../root";
import { LOCAL_ACTOR } from "../../auth/actor";

const root = path.resolve(__dirname, "../../..");
let dir: string;
let database: Db;
let caller: ReturnType<typeof createCaller>;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "etl-webhooks-router-"));
  database = createDb(`file:${path.join(dir, "test.db")}`, root);
  caller = createCaller({ db: database, actor: LOCAL_ACTOR });
  await caller.pipelines.create({ name: "Hooked" });
});
afterAll(async () => {
  await database.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("webhooks router", () => {
  it("refuses a URL that is not http(s) under the url field, saving nothing", async () => {
    for (const url of ["not a url", "ftp://example.com/x", "javascript:alert(1)"]) {
      const err = await caller.webhooks.set({ pipelineId: "hooked", url, onSuccess: false }).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(TRPCError);
      const issues = ((err as TRPCError).cause as ZodError).issues;
      expect(issues.map((i) => [i.path.join("."), i.message])).toEqual([["url", "Enter a full http:// or https:// URL"]]);
    }
    expect(await caller.webhooks.get({ pipelineId: "hooked" })).toMatchObject({ configured: false, urlMasked: null });
  });

  it("saves a URL and shows it masked; removes it", async () => {
    const saved = await caller.webhooks.set({ pipelineId: "hooked", url: "https://hooks.example.com/services/T000/B000/s3cr3t", onSuccess: true });
    expect(saved).toMatchObject({ configured: true, urlMasked: "https://hooks.example.com/…", onSuccess: true, recent: [] });
    expect(JSON.stringify(await caller.webhooks.get({ pipelineId: "hooked" }))).not.toContain("s3cr3t");
    expect(await caller.webhooks.remove({ pipelineId: "hooked" })).toMatchObject({ configured: false });
    await expect(caller.webhooks.set({ pipelineId: "nope", url: "https://x.example/", onSuccess: false })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
