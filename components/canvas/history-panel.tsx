"use client";
// Version history: every saved version, newest first; restoring one saves its document as a
// new version (nothing is rewritten), and the canvas shows it. Each version shows who saved it.
import { useMutation, useQuery } from "@tanstack/react-query";
import { TRPCClientError } from "@trpc/client";
import { relativeTime } from "@/lib/time";
import { useTRPC } from "@/lib/trpc";
import { useToast } from "@/components/ui/toast";
import type { Autosave } from "./use-autosave";
import { useEditor } from "./editor-context";

export function HistoryPanel({ pipelineId, autosave }: { pipelineId: string; autosave: Autosave }) {
  const trpc = useTRPC();
  const toast = useToast();
  const { store } = useEditor();
  const versions = useQuery(trpc.pipelines.versions.queryOptions({ id: pipelineId }));
  const restore = useMutation(trpc.pipelines.restore.mutationOptions());
  const busy = autosave.status !== "saved" || restore.isPending;

  async function onRestore(version: number) {
    try {
      const r = await restore.mutateAsync({ id: pipelineId, version, expectedVersion: autosave.version });
      autosave.adopt(r.document, r.version);
      store.apply(`Restore version ${version}`, r.document);
      toast(`Restored version ${version} as version ${r.version}`, "success");
    } catch (e) {
      toast(e instanceof TRPCClientError ? e.message : "Restore failed", "error");
    }
  }

  if (versions.isLoading) return <p className="panel-empty muted">Loading versions…</p>;
  return (
    <ul className="versions" aria-label="Versions">
      {versions.data?.map((v) => (
        <li key={v.version} className={v.version === autosave.version ? "current" : ""}>
          <span className="v-no">v{v.version}</span>
          <span className="muted">{relativeTime(v.createdAt)}</span>
          <span className="muted small" title={v.savedBy}>by {v.savedBy === "local" ? "you (local)" : v.savedByName ?? v.savedBy}</span>
          {v.version === autosave.version ? (
            <span className="tag">current</span>
          ) : (
            <button type="button" className="btn small" disabled={busy} onClick={() => onRestore(v.version)}>Restore v{v.version}</button>
          )}
        </li>
      ))}
    </ul>
  );
}
