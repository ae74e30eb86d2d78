// Starts, supervises and stops the embedded local Ray head (used when RAY_ADDRESS is unset):
// `ray start --head --block` as a child in its own process group, Jobs API on loopback, usage
// stats off, object store sized explicitly. If Ray dies while we want it up, it is restarted.
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { RayJobsClient } from "./ray-jobs";

/** Reads the token file, creating it (random, mode 0600) on first use; returns the token. */
export function ensureAuthToken(file: string): string {
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, randomBytes(32).toString("hex"), { mode: 0o600, flag: "wx" });
  }
  return fs.readFileSync(file, "utf8").trim();
}

/** `n` distinct TCP ports free on loopback right now (held open together, so never equal). */
export async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: n }, () => new Promise<net.Server>((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => resolve(srv));
  })));
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  return ports;
}

export interface LocalRayOptions {
  /** Directory holding the venv's `ray` executable. */
  readonly binDir: string;
  readonly gcsPort: number;
  readonly dashboardPort: number;
  readonly objectStoreBytes: number;
  readonly numCpus?: number;
  readonly tempDir: string;
  /** File holding the cluster's auth token (Ray token auth is on; the file is created if missing). */
  readonly authTokenFile: string;
  readonly logFile?: string;
  readonly log?: (msg: string) => void;
  readonly startTimeoutMs?: number;
}

export class LocalRay {
  private child: ChildProcess | null = null;
  private wanted = false;
  private restarts = 0;
  readonly address: string;
  readonly client: RayJobsClient;

  constructor(private readonly opts: LocalRayOptions) {
    this.address = `http://127.0.0.1:${opts.dashboardPort}`;
    this.client = new RayJobsClient(this.address, 3_000, ensureAuthToken(opts.authTokenFile));
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the head and resolves when its Jobs API answers. */
  async start(): Promise<void> {
    this.wanted = true;
    await this.spawnHead();
  }

  private async spawnHead(): Promise<void> {
    const o = this.opts;
    fs.mkdirSync(o.tempDir, { recursive: true });
    const [agentPort, clientPort, agentGrpcPort, runtimeEnvPort, metricsPort] = await freePorts(5);
    const args = [
      "start", "--head", "--block",
      `--port=${o.gcsPort}`,
      "--node-ip-address=127.0.0.1",
      "--dashboard-host=127.0.0.1",
      `--dashboard-port=${o.dashboardPort}`,
      "--include-dashboard=true",
      `--object-store-memory=${o.objectStoreBytes}`,
      `--temp-dir=${o.tempDir}`,
      "--disable-usage-stats",
      ...(o.numCpus ? [`--num-cpus=${o.numCpus}`] : []),
      // Ray's fixed defaults (agent HTTP 52365, client server 10001) clash when several heads
      // share a machine (a dev app, the e2e app, test clusters): the second head then starts but
      // cannot take jobs ("No available agent to submit job"). Free ports avoid that.
      `--dashboard-agent-listen-port=${agentPort}`,
      `--ray-client-server-port=${clientPort}`,
      // With dynamic agent ports the raylet waits for the agent to write its port to a file and
      // aborts after ~15 s — which a busy machine exceeds. Fixed ports skip that wait.
      `--dashboard-agent-grpc-port=${agentGrpcPort}`,
      `--runtime-env-agent-port=${runtimeEnvPort}`,
      `--metrics-export-port=${metricsPort}`,
    ];
    const out = o.logFile ? fs.openSync(o.logFile, "a") : "ignore";
    o.log?.(`starting local Ray head (Jobs API ${this.address})`);
    const child = spawn(path.join(o.binDir, "ray"), args, {
      detached: true,
      stdio: ["ignore", out, out],
      env: {
        ...process.env,
        // Job entrypoints run `python ...`: it must be the venv's, with Ray and pandas in it.
        PATH: `${o.binDir}:${process.env.PATH ?? ""}`,
        VIRTUAL_ENV: path.dirname(o.binDir),
        RAY_USAGE_STATS_ENABLED: "0",
        RAY_ADDRESS: "",
        RAY_AUTH_MODE: "token",
        RAY_AUTH_TOKEN_PATH: o.authTokenFile,
        RAY_AUTH_TOKEN: "",
      },
    });
    if (typeof out === "number") fs.closeSync(out);
    this.child = child;
    child.on("exit", (code, signal) => {
      if (this.child === child) this.child = null;
      if (this.wanted && this.restarts < 5) {
        this.restarts++;
        o.log?.(`local Ray head exited (${code ?? signal}); restarting (${this.restarts}/5)`);
        setTimeout(() => void this.spawnHead().catch((e) => o.log?.(`restart failed: ${e}`)), 1000 * this.restarts);
      }
    });
    const deadline = Date.now() + (o.startTimeoutMs ?? 90_000);
    while (Date.now() < deadline) {
      if (!this.child) throw new Error(`Ray head exited during start-up; see ${o.logFile ?? "its output"}`);
      if (await this.client.isUp()) {
        o.log?.(`local Ray head is up (pid ${child.pid})`);
        return;
      }
      await new Promise((r) => setTimeout(r, 300));
    }
    throw new Error(`Ray head did not answer on ${this.address} within ${(o.startTimeoutMs ?? 90_000) / 1000}s`);
  }

  /** Stops the head and every process it started (its process group); waits for them to exit. */
  async stop(): Promise<void> {
    this.wanted = false;
    const child = this.child;
    if (!child?.pid) return;
    const exited = new Promise<void>((r) => child.once("exit", () => r()));
    const group = -child.pid;
    try {
      process.kill(child.pid, "SIGTERM");
    } catch {
      return;
    }
    const timeout = new Promise<"timeout">((r) => setTimeout(() => r("timeout"), 15_000).unref());
    if ((await Promise.race([exited, timeout])) === "timeout") {
      try {
        process.kill(group, "SIGKILL");
      } catch {
        /* already gone */
      }
    }
    // Ray's own children (raylet, gcs, workers) may have left the group: give them the same signal.
    this.killStragglers();
  }

  private killStragglers() {
    // Processes Ray started for this temp dir carry it in their command line.
    for (const pid of fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
      try {
        const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
        if (cmd.includes(this.opts.tempDir)) process.kill(Number(pid), "SIGKILL");
      } catch {
        /* gone or not ours */
      }
    }
  }
}
