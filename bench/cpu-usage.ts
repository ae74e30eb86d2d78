// CPU time per process between two points, read from /proc (Linux): tells a benchmark whether the
// machine was quiet while it measured, and who was busy if not.
import fs from "node:fs";

type Snapshot = Map<number, { name: string; ticks: number }>;
const TICKS_PER_S = 100; // USER_HZ on Linux

function snapshot(): Snapshot {
  const out: Snapshot = new Map();
  for (const d of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const s = fs.readFileSync(`/proc/${d}/stat`, "utf8");
      const close = s.lastIndexOf(")");
      const name = s.slice(s.indexOf("(") + 1, close);
      const f = s.slice(close + 2).split(" ");
      out.set(Number(d), { name, ticks: Number(f[11]) + Number(f[12]) }); // utime + stime
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}

/** The machine's whole-CPU counters (ticks): busy, idle, and stolen by the hypervisor. */
function machine(): { busy: number; idle: number; steal: number } {
  const f = fs.readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal
  return { busy: f[0] + f[1] + f[2] + f[5] + f[6], idle: f[3] + f[4], steal: f[7] ?? 0 };
}

/** Starts counting; `stop()` gives the busiest process names with their share of one core over the interval. */
export function cpuUsage(): { stop: () => { seconds: number; total: number; steal: number; top: { name: string; cores: number }[] } } {
  const t0 = performance.now();
  const a = snapshot();
  const m0 = machine();
  return {
    stop() {
      const seconds = (performance.now() - t0) / 1000;
      const b = snapshot();
      const byName = new Map<string, number>();
      for (const [pid, p] of b) {
        const used = (p.ticks - (a.get(pid)?.ticks ?? 0)) / TICKS_PER_S;
        if (used > 0) byName.set(p.name, (byName.get(p.name) ?? 0) + used);
      }
      const m1 = machine();
      const steal = (m1.steal - m0.steal) / TICKS_PER_S / seconds;
      const top = [...byName].map(([name, s]) => ({ name, cores: s / seconds })).sort((x, y) => y.cores - x.cores);
      return { seconds, total: top.reduce((n, p) => n + p.cores, 0), steal, top: top.slice(0, 5) };
    },
  };
}
