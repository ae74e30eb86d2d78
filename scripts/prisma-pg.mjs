#!/usr/bin/env node
// The PostgreSQL Prisma client: a schema derived from prisma/schema.prisma (provider
// postgresql, its own output dir) generated into node_modules/.prisma-pg/client. One schema
// file stays the source of truth; the SQLite client stays the default @prisma/client.
//   node scripts/prisma-pg.mjs generate    (setup runs it after the SQLite client)
//   node scripts/prisma-pg.mjs diff        (print the SQL creating the whole schema on PostgreSQL:
//                                           new PostgreSQL migrations start from its difference)
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const PG_CLIENT_DIR = join(root, "node_modules", ".prisma-pg", "client");
const derivedSchema = join(root, "node_modules", ".prisma-pg", "schema.prisma");

/** prisma/schema.prisma with provider postgresql and the client generated into PG_CLIENT_DIR. */
export function derivePgSchema() {
  const src = readFileSync(join(root, "prisma", "schema.prisma"), "utf8");
  const out = src
    .replace(/provider\s*=\s*"sqlite"/, 'provider = "postgresql"')
    .replace(/(generator client \{[^}]*?)(\n\})/, `$1\n  output     = ${JSON.stringify(PG_CLIENT_DIR)}$2`);
  if (!out.includes('provider = "postgresql"') || !out.includes(PG_CLIENT_DIR)) throw new Error("could not derive the PostgreSQL schema");
  mkdirSync(dirname(derivedSchema), { recursive: true });
  writeFileSync(derivedSchema, out);
  return derivedSchema;
}

// The CLI reads DATABASE_URL even when it connects to nothing: `generate` wants a URL of the
// schema's provider, `migrate diff` runs the wasm engine through prisma.config.ts's SQLite
// adapter; with anything else it falls back to downloading a native engine (no network here).
const base = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" };
const genEnv = { ...base, DATABASE_URL: "postgresql://etl@127.0.0.1:1/unused" };
const diffEnv = { ...base, DATABASE_URL: "file:./data/dev-migrations.db" };

if (import.meta.url === `file://${process.argv[1]}`) {
  const cmd = process.argv[2];
  const schema = derivePgSchema();
  if (cmd === "generate") {
    execFileSync("npx", ["prisma", "generate", "--schema", schema], { cwd: root, env: genEnv, stdio: "inherit" });
  } else if (cmd === "diff") {
    execFileSync("npx", ["prisma", "migrate", "diff", "--from-empty", "--to-schema-datamodel", schema, "--script"], { cwd: root, env: diffEnv, stdio: ["ignore", "inherit", "inherit"] });
  } else {
    console.error("usage: node scripts/prisma-pg.mjs generate | diff");
    process.exit(2);
  }
}
