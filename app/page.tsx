"use client";
// Pipelines list and the app's health at a glance.
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc";

export default function Home() {
  const trpc = useTRPC();
  const health = useQuery(trpc.health.check.queryOptions(undefined, { refetchInterval: 10_000 }));
  const pipelines = useQuery(trpc.pipelines.list.queryOptions());
  return (
    <div>
      <p>
        Database <span className={`badge ${health.data?.database.ok ? "ok" : "bad"}`}>{health.data?.database.ok ? "up" : "down"}</span>{" "}
        Ray <span className={`badge ${health.data?.ray.ok ? "ok" : "bad"}`}>{health.data?.ray.ok ? `up (${health.data.ray.version})` : "down"}</span>
      </p>
      <h1>Pipelines</h1>
      {pipelines.isLoading ? <p>Loading…</p> : null}
      {pipelines.data?.length === 0 ? <p>No pipelines yet. Import one with <code>npm run etl</code> or create one.</p> : null}
      {pipelines.data && pipelines.data.length > 0 ? (
        <table>
          <thead><tr><th>Name</th><th>Version</th><th>Last edit</th></tr></thead>
          <tbody>
            {pipelines.data.map((p) => (
              <tr key={p.id}><td>{p.name}</td><td>{p.version}</td><td>{new Date(p.updatedAt).toLocaleString()}</td></tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
