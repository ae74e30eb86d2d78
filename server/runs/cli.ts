// Runs from a terminal or a test, through the same API the browser uses (a tRPC caller on the
// app's database); the monitor (app process or monitor-main.ts) does the submitting.
//   npx tsx server/runs/cli.ts import FILE [--name NAME]     -> {"id","version"}
//   npx tsx server/runs/cli.ts start PIPELINE [--to NODE]     -> {"runId"}
//   npx tsx server/runs/cli.ts get|cancel|retry RUN_ID        -> JSON
//   npx tsx server/runs/cli.ts wait RUN_ID [--timeout SECS]   -> the final snapshot (exit 1 unless succeeded)
//   npx tsx server/runs/cli.ts list [PIPELINE]
import fs from "node:fs";
import path from "node:path";
import { createCaller } from "../api/root";
import { db } from "../db";
import { serializeDocument, parseDocument } from "../pipeline";
import { TERMINAL_RUN_STATES } from "./snapshot";
import { LOCAL_ACTOR } from "../auth/actor";

const out = (v: unknown) => process.stdout.write(`${JSON.stringify(v, null, 2)}\n`);
function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
}

async function main() {
  const [cmd, ...args] = process.argv.slice(2);
  const caller = createCaller({ db: db(), actor: LOCAL_ACTOR });
  switch (cmd) {
    case "import": {
      const name = option(args, "--name");
      const file = path.resolve(process.env.INIT_CWD ?? process.cwd(), args[0] ?? "");
      const parsed = parseDocument(fs.readFileSync(file, "utf8"));
      if (!parsed.doc) throw new Error(parsed.diagnostics.map((d) => d.message).join("; "));
      const existing = await db().pipeline.findUnique({ where: { id: parsed.doc.id } });
      if (existing) {
        const saved = await caller.pipelines.save({ id: existing.id, expectedVersion: existing.version, document: { ...parsed.doc, name: name ?? parsed.doc.name } });
        return out({ id: existing.id, version: saved.version });
      }
      const created = await caller.pipelines.create({ name: name ?? parsed.doc.name, document: JSON.parse(serializeDocument(parsed.doc)) });
      return out({ id: created.id, version: created.version });
    }
    case "start": {
      const to = option(args, "--to");
      return out(await caller.runs.start({ pipelineId: args[0], toNodeId: to }));
    }
    case "get": return out(await caller.runs.get({ runId: args[0] }));
    case "cancel": return out(await caller.runs.cancel({ runId: args[0] }));
    case "retry": return out(await caller.runs.retry({ runId: args[0] }));
    case "list": return out(await caller.runs.list(args[0] ? { pipelineId: args[0] } : {}));
    case "wait": {
      const timeout = Number(option(args, "--timeout") ?? 300) * 1000;
      const deadline = Date.now() + timeout;
      for (;;) {
        const s = await caller.runs.get({ runId: args[0] });
        if (TERMINAL_RUN_STATES.includes(s.state)) {
          out(s);
          process.exitCode = s.state === "succeeded" ? 0 : 1;
          return;
        }
        if (Date.now() > deadline) throw new Error(`run ${args[0]} still ${s.state} after ${timeout / 1000}s`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    default:
      throw new Error("usage: cli.ts import FILE | start PIPELINE [--to NODE] | get|cancel|retry|wait RUN_ID | list [PIPELINE]");
  }
}

main().then(
  () => db().$disconnect(),
  (e) => {
    process.stderr.write(`runs: ${e instanceof Error ? e.message : e}\n`);
    process.exit(2);
  },
);
