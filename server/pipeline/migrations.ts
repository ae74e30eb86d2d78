// Upgrades older pipeline documents to the current schemaVersion, one version at a time.
// Version 1 is the first, so the table is empty; the scaffolding is here so version 2 only
// needs one entry: MIGRATIONS.set(1, (doc) => ({ ...doc, nodes: ... })).
import { SCHEMA_VERSION } from "./schema";

/** Reads a document of version v (as plain JSON) and returns a NEW object of version v + 1. Must not mutate its input. */
export type Upgrader = (doc: Readonly<Record<string, unknown>>) => Record<string, unknown>;

/** Upgraders keyed by the version they read. */
export const MIGRATIONS: ReadonlyMap<number, Upgrader> = new Map<number, Upgrader>();

export type MigrationResult =
  | { readonly ok: true; readonly doc: Record<string, unknown>; readonly from: number }
  | { readonly ok: false; readonly version: unknown };

/**
 * Brings a raw document to SCHEMA_VERSION, or says it cannot (missing, newer, or no upgrade path).
 * Example: migrate({ schemaVersion: 1, nodes: [], edges: [] }) -> { ok: true, doc, from: 1 }
 */
export function migrate(raw: Readonly<Record<string, unknown>>, migrations: ReadonlyMap<number, Upgrader> = MIGRATIONS): MigrationResult {
  const version = raw.schemaVersion;
  if (typeof version !== "number" || !Number.isInteger(version) || version > SCHEMA_VERSION) return { ok: false, version };
  let doc: Record<string, unknown> = { ...raw };
  for (let v = version; v < SCHEMA_VERSION; v++) {
    const up = migrations.get(v);
    if (up === undefined) return { ok: false, version };
    doc = { ...up(doc), schemaVersion: v + 1 };
  }
  return { ok: true, doc, from: version };
}
