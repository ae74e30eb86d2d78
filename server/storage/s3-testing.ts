// Test support: moto's S3 server on loopback (runtime/tests/s3_server.py: IAM enforced, users
// `admin` and `app`, buckets etl-test and etl-locked), and uploads through the real SDK.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { pythonBin } from "../python/venv";
import { s3Client, type S3Settings } from "./s3";
import { REPO_ROOT } from "./testing";

export interface Keys { readonly accessKeyId: string; readonly secretAccessKey: string }
export interface TestS3 {
  readonly endpoint: string;
  readonly region: string;
  readonly bucket: string;
  readonly locked: string;
  readonly admin: Keys;
  readonly app: Keys;
  settings(keys?: Keys): S3Settings;
  stop(): Promise<void>;
}

/** Starts the server (a free port on 127.0.0.1); `await s3.stop()` in afterAll. */
export async function startTestS3(): Promise<TestS3> {
  const child: ChildProcessWithoutNullStreams = spawn(pythonBin(), [path.join(REPO_ROOT, "runtime/tests/s3_server.py")], {
    env: { ...process.env, AWS_EC2_METADATA_DISABLED: "true" },
    stdio: "pipe",
  });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout });
    rl.once("line", (l) => resolve(l));
    child.once("exit", (code) => reject(new Error(`s3_server.py exited ${code}: ${stderr.slice(-2000)}`)));
  });
  const info = JSON.parse(line) as Omit<TestS3, "settings" | "stop">;
  return {
    ...info,
    settings: (keys = info.app) => ({ region: info.region, endpoint: info.endpoint, pathStyle: true, credentials: keys }),
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.stdin.end(); // the script stops moto when its stdin closes
    }),
  };
}

/** Uploads every file under `dir` to s3://bucket/prefix/<relative path> (admin keys). */
export async function uploadDir(s3: TestS3, dir: string, bucket: string, prefix: string): Promise<string[]> {
  const client = s3Client(s3.settings(s3.admin));
  const keys: string[] = [];
  const walk = async (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else {
        const key = `${prefix}/${path.relative(dir, p).split(path.sep).join("/")}`;
        await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: fs.readFileSync(p) }));
        keys.push(key);
      }
    }
  };
  try {
    await walk(dir);
  } finally {
    client.destroy();
  }
  return keys;
}
