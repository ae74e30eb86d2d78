"use client";
// The editor toolbar's run buttons: Run, Run to here (a selected Write node and everything
// upstream of it), Cancel while a run is active. A run always starts from a saved version:
// with unsaved edits, the click waits for autosave and then runs what was saved. Also keeps the
// open run's live snapshots flowing (tRPC subscription over SSE) and, on opening the editor,
// re-opens a run named in the URL (?run=) or one still active, so its state is replayed.
import { skipToken, useMutation, useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from "react";
import { KINDS } from "@/server/pipeline";
import { TERMINAL_RUN_STATES } from "@/server/runs/snapshot";
import { useEditor } from "@/components/canvas/editor-context";
import type { EditorStore } from "@/components/canvas/store";
import { useToast } from "@/components/ui/toast";
import { useTRPC, useTRPCClient } from "@/lib/trpc";
import { useCan } from "@/components/auth/auth-context";
import { runStore, useRunView } from "./run-store";
import "./runs.css";

export interface RunControlsProps {
  readonly pipelineId: string;
  /** The editor's autosave: runs start from `version` once `status` is "saved". */
  readonly autosave: { readonly status: string; readonly version: number };
}

type Pending = { readonly toNodeId: string | null } | null;

/** One stable part of the editor state (drags do not re-render the buttons). */
function useStorePart<T>(store: EditorStore, pick: (s: ReturnType<EditorStore["getState"]>) => T): T {
  const get = () => pick(store.getState());
  return useSyncExternalStore(store.subscribe, get, get);
}

export function RunControls({ pipelineId, autosave }: RunControlsProps) {
  const { store, focusNode } = useEditor();
  const selectedNodes = useStorePart(store, (s) => s.selectedNodes);
  const doc = useStorePart(store, (s) => s.doc);
  const view = useRunView(pipelineId);
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const toast = useToast();
  const start = useMutation(trpc.runs.start.mutationOptions());
  const cancel = useMutation(trpc.runs.cancel.mutationOptions());
  const [pending, setPending] = useState<Pending>(null);
  const run = useCan("runner");

  const snap = view.snapshot;
  const active = Boolean(view.runId) && (!snap || !TERMINAL_RUN_STATES.includes(snap.state));
  const selected = selectedNodes.length === 1 ? doc.nodes.find((n) => n.id === selectedNodes[0]) : undefined;
  const selectedIsWrite = selected ? KINDS[selected.kind].category === "sink" : false;

  // --- re-open a run on load: ?run=<id>, else this pipeline's newest run if still active -----
  const opened = useRef(false);
  useEffect(() => {
    if (opened.current) return;
    opened.current = true;
    const params = new URLSearchParams(window.location.search);
    const fromUrl = params.get("run");
    // ?node=<id> (the dashboard's link to a failed node): select it and bring it into view
    const node = params.get("node");
    if (node) focusNode(node);
    if (fromUrl) {
      runStore.open(pipelineId, fromUrl, { panel: true });
      return;
    }
    if (runStore.get(pipelineId).runId) return;
    void client.runs.list.query({ pipelineId, limit: 1 }).then((runs) => {
      const r = runs[0];
      if (r && !TERMINAL_RUN_STATES.includes(r.state) && !runStore.get(pipelineId).runId) runStore.open(pipelineId, r.id, { panel: true });
    }, () => {});
  }, [client, pipelineId, focusNode]);

  // --- live snapshots of the open run ---------------------------------------------------------
  useSubscription(
    trpc.runs.watch.subscriptionOptions(view.runId ? { runId: view.runId } : skipToken, {
      onData: (s) => {
        runStore.push(pipelineId, s);
        if (TERMINAL_RUN_STATES.includes(s.state)) void queryClient.invalidateQueries({ queryKey: trpc.runs.list.queryKey() });
      },
      onError: (e) => runStore.watchFailed(pipelineId, e.message),
    }),
  );

  const launch = useCallback(async (toNodeId: string | null, version: number) => {
    try {
      const { runId } = await start.mutateAsync({ pipelineId, version, toNodeId });
      runStore.open(pipelineId, runId, { panel: true });
      void queryClient.invalidateQueries({ queryKey: trpc.runs.list.queryKey() });
    } catch (e) {
      toast(e instanceof Error ? e.message : "The run could not be started", "error");
    }
  }, [pipelineId, queryClient, start, toast, trpc]);

  // a click with unsaved edits runs once autosave has stored them
  useEffect(() => {
    if (!pending) return;
    if (autosave.status === "saved") {
      setPending(null);
      void launch(pending.toNodeId, autosave.version);
    } else if (autosave.status === "conflict" || autosave.status === "error") {
      setPending(null);
      toast("Not run: the pipeline could not be saved", "error");
    }
  }, [pending, autosave.status, autosave.version, launch, toast]);

  const request = (toNodeId: string | null) => {
    if (autosave.status === "saved") void launch(toNodeId, autosave.version);
    else setPending({ toNodeId });
  };

  const runToHereTitle = !selected
    ? "Select one Write node: it runs with everything upstream of it"
    : selectedIsWrite
      ? `Run '${selected.id}' and everything upstream of it`
      : `Run to here runs a Write node and its upstream nodes; '${selected.id}' is not a Write node`;

  return (
    <div className="btn-group run-controls" role="group" aria-label="Run">
      <button
        type="button" className="btn primary" onClick={() => request(null)}
        disabled={!run.ok || start.isPending || pending !== null || doc.nodes.length === 0}
        title={run.title ?? "Compile the saved pipeline and run it on Ray"}
      >
        {pending || start.isPending ? "Starting…" : "▶ Run"}
      </button>
      <button
        type="button" className="btn" onClick={() => selected && request(selected.id)}
        disabled={!run.ok || !selectedIsWrite || start.isPending || pending !== null} title={run.title ?? runToHereTitle}
      >
        Run to here
      </button>
      {active ? (
        <button
          type="button" className="btn danger" disabled={!run.ok || cancel.isPending || snap?.cancelRequested} title={run.title}
          onClick={() => view.runId && cancel.mutate({ runId: view.runId }, { onError: (e) => toast(e.message, "error") })}
        >
          {snap?.cancelRequested || cancel.isPending ? "Cancelling…" : "■ Cancel"}
        </button>
      ) : null}
    </div>
  );
}
