// Named S3 connections in the database: create/update/delete, the public view the API returns
// (never a secret), and the decrypted settings only the server uses (storage calls, job env).
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Db } from "../db";
import { env } from "../env";
import { AppError } from "../errors";
import type { S3Settings } from "../storage/s3";
import { open, seal, secretKey } from "./secret-box";

export const CONNECTION_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,62}$/;

/** What the form sends. Secrets left empty on an update keep the stored ones. */
export const ConnectionInputSchema = z.object({
  name: z.string().trim().regex(CONNECTION_NAME, "Start with a letter; letters, digits, - and _ only (at most 63)"),
  region: z.string().trim().min(1, "Region is required").max(64).default("us-east-1"),
  endpoint: z.string().trim().max(2048).nullable().default(null)
    .refine((v) => v === null || v === "" || /^https?:\/\/[^/\s]+/.test(v), "An endpoint is a URL like http://127.0.0.1:9000"),
  pathStyle: z.boolean().default(false),
  auth: z.enum(["keys", "default-chain"]).default("keys"),
  accessKeyId: z.string().max(256).optional(),
  secretAccessKey: z.string().max(1024).optional(),
  sessionToken: z.string().max(4096).optional(),
});
export type ConnectionInput = z.input<typeof ConnectionInputSchema>;

/** The only view of a connection that leaves the server: no key id, no secret, no token. */
export const ConnectionPublicSchema = z.object({
  id: z.string(),
  name: z.string(),
  region: z.string(),
  endpoint: z.string().nullable(),
  pathStyle: z.boolean(),
  auth: z.enum(["keys", "default-chain"]),
  hasSecrets: z.boolean(),
  updatedAt: z.date(),
}).strict();
export type ConnectionPublic = z.infer<typeof ConnectionPublicSchema>;

interface Secrets { accessKeyId: string; secretAccessKey: string; sessionToken?: string | null }
type Row = { id: string; name: string; region: string; endpoint: string | null; pathStyle: boolean; auth: string; secrets: string | null; updatedAt: Date };

const key = () => secretKey({ dataDir: env().dataDir, configured: process.env.ETL_SECRET_KEY || undefined });

export function toPublic(r: Row): ConnectionPublic {
  return { id: r.id, name: r.name, region: r.region, endpoint: r.endpoint, pathStyle: r.pathStyle, auth: r.auth === "default-chain" ? "default-chain" : "keys", hasSecrets: r.secrets !== null, updatedAt: r.updatedAt };
}

/** Decrypted settings of a stored row (server-side only). */
export function settingsOf(r: Row): S3Settings {
  const s = r.auth === "keys" && r.secrets ? (JSON.parse(open(key(), r.secrets)) as Secrets) : null;
  return { region: r.region, endpoint: r.endpoint, pathStyle: r.pathStyle, credentials: s };
}

/** Settings from form values, falling back to `stored` secrets where the form left them empty. */
export function settingsFromInput(input: z.output<typeof ConnectionInputSchema>, stored?: Row | null): S3Settings {
  const base = stored && stored.auth === "keys" && stored.secrets ? (JSON.parse(open(key(), stored.secrets)) as Secrets) : null;
  const creds = input.auth === "keys"
    ? { accessKeyId: input.accessKeyId || base?.accessKeyId || "", secretAccessKey: input.secretAccessKey || base?.secretAccessKey || "", sessionToken: input.sessionToken || base?.sessionToken || null }
    : null;
  if (creds && (!creds.accessKeyId || !creds.secretAccessKey)) {
    throw new AppError("BAD_INPUT", { userMessage: "Enter the access key id and the secret access key (or choose the environment's default chain)" });
  }
  return { region: input.region, endpoint: input.endpoint || null, pathStyle: input.pathStyle, credentials: creds };
}

function rowData(input: z.output<typeof ConnectionInputSchema>, stored?: Row | null) {
  const s = settingsFromInput(input, stored);
  return {
    name: input.name, region: s.region, endpoint: s.endpoint, pathStyle: s.pathStyle, auth: input.auth,
    secrets: s.credentials ? seal(key(), JSON.stringify(s.credentials)) : null,
  };
}

async function uniqueName<T>(fn: () => Promise<T>, name: string): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if ((e as { code?: string }).code === "P2002") throw new AppError("CONFLICT", { userMessage: `A connection named '${name}' already exists` });
    throw e;
  }
}

export async function listConnections(db: Db): Promise<ConnectionPublic[]> {
  return (await db.connection.findMany({ orderBy: { name: "asc" } })).map(toPublic);
}

export async function findConnection(db: Db, id: string): Promise<Row> {
  const r = await db.connection.findUnique({ where: { id } });
  if (!r) throw new AppError("NOT_FOUND", { userMessage: `Connection '${id}' does not exist` });
  return r;
}

export async function createConnection(db: Db, raw: ConnectionInput): Promise<ConnectionPublic> {
  const input = ConnectionInputSchema.parse(raw);
  return toPublic(await uniqueName(() => db.connection.create({ data: { id: randomUUID(), ...rowData(input) } }), input.name));
}

export async function updateConnection(db: Db, id: string, raw: ConnectionInput): Promise<ConnectionPublic> {
  const input = ConnectionInputSchema.parse(raw);
  const stored = await findConnection(db, id);
  return toPublic(await uniqueName(() => db.connection.update({ where: { id }, data: rowData(input, stored) }), input.name));
}

export async function deleteConnection(db: Db, id: string): Promise<void> {
  await findConnection(db, id);
  await db.connection.delete({ where: { id } });
}

/** Resolves connections by name for storage calls, analysis and job submission. */
export interface Connections {
  names(): Promise<string[]>;
  /** null: no such connection */
  settings(name: string): Promise<S3Settings | null>;
}

/** Example: await connectionsFrom(db).settings("lake") -> { region, endpoint, pathStyle, credentials } */
export function connectionsFrom(db: Db): Connections {
  return {
    names: async () => (await db.connection.findMany({ select: { name: true }, orderBy: { name: "asc" } })).map((r) => r.name),
    settings: async (name) => {
      const r = await db.connection.findUnique({ where: { name } });
      return r ? settingsOf(r) : null;
    },
  };
}
