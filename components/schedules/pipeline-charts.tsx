"use client";
// Per-pipeline run history charts (recharts): duration and rows written per ended run, and the
// share of runs that succeeded per day. Failed runs show as red points on the duration chart.
import { useQuery } from "@tanstack/react-query";
import { Bar, BarChart, CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useTRPC } from "@/lib/trpc";

const COLORS = { succeeded: "#067647", failed: "#d92d20", cancelled: "#b54708" } as const;
const shortDate = (iso: string) => new Date(iso).toLocaleString(undefined, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });

export function PipelineCharts({ pipelineId }: { pipelineId: string }) {
  const trpc = useTRPC();
  const q = useQuery({ ...trpc.dashboard.pipelineStats.queryOptions({ pipelineId, limit: 200 }), refetchInterval: 10_000 });
  if (q.error) return <p className="bad">{q.error.message}</p>;
  if (!q.data) return <p className="muted">Loading run history…</p>;
  if (q.data.points.length === 0) return <p className="muted">No ended runs yet: charts appear after the first run.</p>;
  const points = q.data.points.map((p) => ({ ...p, label: shortDate(p.createdAt), seconds: p.durationMs === null ? null : p.durationMs / 1000 }));
  const daily = q.data.daily.map((d) => ({ ...d, percent: Math.round(d.successRate * 1000) / 10 }));
  return (
    <div className="charts">
      <figure className="chart-card" aria-label="Duration chart">
        <h3>Duration (s)</h3>
        <ResponsiveContainer width="100%" height={180}>
          <LineChart data={points} margin={{ top: 6, right: 8, bottom: 0, left: -12 }}>
            <CartesianGrid stroke="#e4e7ec" vertical={false} />
            <XAxis dataKey="label" tick={{ fontSize: 11 }} minTickGap={24} />
            <YAxis tick={{ fontSize: 11 }} />
            <Tooltip formatter={(v) => [`${Number(v).toFixed(1)} s`, "duration"]} />
            <Line type="monotone" dataKey="seconds" stroke="#2563eb" strokeWidth={1.6} isAnimationActive={false}
              dot={(p: { cx?: number; cy?: number; payload?: { state: keyof typeof COLORS }; index?: number }) => (
                <circle key={p.index} cx={p.cx} cy={p.cy} r={3} fill={COLORS[p.payload?.state ?? "succeeded"]} stroke="none" />
              )} />
          </LineChart>
        </ResponsiveContainer>
      </figure>
      <figure className="chart-card" aria-label="Rows written chart">
        <h3>Rows written</h3>
        <ResponsiveContainer width="100%" height={180}>
          <BarChart data={points} margin={{ top: 6, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid stroke="#e4e7ec" vertical={false} />
            <XAxis dataKey="label" tick={{ fontSize: 11 }} minTickGap={24} />
            <YAxis tick={{ fontSize: 11 }} tickFormatter={(v: number) => (v >= 1e6 ? `${v / 1e6}M` : v >= 1e3 ? `${v / 1e3}k` : String(v))} />
            <Tooltip formatter={(v) => [Number(v).toLocaleString("en-US"), "rows"]} />
            <Bar dataKey="rowsWritten" fill="#0f766e" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </figure>
      <figure className="chart-card" aria-label="Success rate chart">
        <h3>Success rate per day (%)</h3>
        <ResponsiveContainer width="100%" height={180}>
          <LineChart data={daily} margin={{ top: 6, right: 8, bottom: 0, left: -12 }}>
            <CartesianGrid stroke="#e4e7ec" vertical={false} />
            <XAxis dataKey="day" tick={{ fontSize: 11 }} />
            <YAxis domain={[0, 100]} tick={{ fontSize: 11 }} />
            <Tooltip formatter={(v) => [`${v}%`, "succeeded"]} />
            <Line type="monotone" dataKey="percent" stroke="#067647" strokeWidth={1.6} isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      </figure>
    </div>
  );
}
