// `etl connection ...`: S3 connections in the app's database ($DATABASE_URL) from a terminal,
// through the same tRPC procedures as the Connections page. Secrets come from environment
// variables, never from arguments (those show up in `ps` and shell history):
//   ETL_S3_ACCESS_KEY_ID=... ETL_S3_SECRET_ACCESS_KEY=... etl connection add NAME [--region R]
//       [--endpoint URL] [--path-style] [--default-chain]
//   etl connection list | test NAME [--bucket B [--prefix P]] | delete NAME
import { createCaller } from "../api/root";
import { db } from "../db";
import { LOCAL_ACTOR } from "../auth/actor";

export const CONNECTION_USAGE = `  connection add NAME [--region R] [--endpoint URL] [--path-style] [--default-chain]
                                           save an S3 connection (keys from $ETL_S3_ACCESS_KEY_ID,
                                           $ETL_S3_SECRET_ACCESS_KEY, $ETL_S3_SESSION_TOKEN)
  connection list | delete NAME | test NAME [--bucket B [--prefix P]]`;

function take(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
}
function has(args: string[], name: string): boolean {
  const i = args.indexOf(name);
  if (i >= 0) args.splice(i, 1);
  return i >= 0;
}

/** Runs one `connection` subcommand; resolves to the exit code. Errors print their user message only. */
export async function cmdConnection(args: string[], out = (s: string) => process.stdout.write(s), err = (s: string) => process.stderr.write(s)): Promise<number> {
  const [sub, ...rest] = args;
  const caller = createCaller({ db: db(), actor: LOCAL_ACTOR });
  const byName = async (name: string) => {
    const c = (await caller.connections.list()).find((x) => x.name === name);
    if (!c) throw new Error(`there is no S3 connection named '${name}'`);
    return c;
  };
  try {
    switch (sub) {
      case "add": {
        const region = take(rest, "--region") ?? "us-east-1";
        const endpoint = take(rest, "--endpoint") ?? null;
        const pathStyle = has(rest, "--path-style");
        const auth = has(rest, "--default-chain") ? "default-chain" as const : "keys" as const;
        const values = {
          name: rest[0] ?? "", region, endpoint, pathStyle, auth,
          accessKeyId: process.env.ETL_S3_ACCESS_KEY_ID, secretAccessKey: process.env.ETL_S3_SECRET_ACCESS_KEY, sessionToken: process.env.ETL_S3_SESSION_TOKEN,
        };
        const existing = (await caller.connections.list()).find((x) => x.name === values.name);
        const saved = existing ? await caller.connections.update({ id: existing.id, values }) : await caller.connections.create(values);
        out(`${JSON.stringify(saved)}\n`);
        return 0;
      }
      case "list":
        out(`${JSON.stringify(await caller.connections.list(), null, 2)}\n`);
        return 0;
      case "delete":
        await caller.connections.delete({ id: (await byName(rest[0] ?? "")).id });
        out("deleted\n");
        return 0;
      case "test": {
        const bucket = take(rest, "--bucket") ?? "";
        const prefix = take(rest, "--prefix") ?? "";
        const r = await caller.connections.test({ id: (await byName(rest[0] ?? "")).id, bucket, prefix });
        out(`${JSON.stringify(r, null, 2)}\n`);
        return 0;
      }
      default:
        err(`usage:\n${CONNECTION_USAGE}\n`);
        return 2;
    }
  } catch (e) {
    const cause = (e as { cause?: { code?: string; userMessage?: string; issues?: { path: unknown[]; message: string }[] } }).cause;
    const why = cause?.issues ? cause.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") : cause?.userMessage ?? (e as Error).message;
    err(`etl: ${cause?.code ? `${cause.code}: ` : ""}${why}\n`);
    return 1;
  } finally {
    await db().$disconnect();
  }
}
