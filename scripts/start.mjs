#!/usr/bin/env node
// `npm start`, after setup: builds the web app if its sources changed, then runs the app
// process (server/main.ts), which supervises Ray. Plain Node so it runs before any build.
import { spawnSync, spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
process.env.NEXT_TELEMETRY_DISABLED = "1";

const b = spawnSync("node", [join(root, "scripts", "build-if-needed.mjs")], { stdio: "inherit" });
if (b.status !== 0) process.exit(b.status ?? 1);
// node itself with tsx's loader (not `npx tsx`): signals reach the app process directly.
const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], { cwd: root, stdio: "inherit" });
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code) => process.exit(code ?? 0));
