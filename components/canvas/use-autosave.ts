"use client";
// Autosave: every document change is saved ~800 ms after the last edit through pipelines.save
// with the version this tab last saw. A stale version comes back as CONFLICT: saving stops and
// the user chooses Reload (discard mine) or Overwrite (save mine over theirs). Never silent.
// Any other failure keeps the edit (unsaved, guarded by the leave-page prompt) and shows "Not
// saved" with Retry; a passing failure (database busy, server unreachable: save-retry.ts) is
// also retried by itself with a growing delay until it goes through.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { TRPCClientError } from "@trpc/client";
import { useCallback, useEffect, useRef, useState } from "react";
import type { PipelineDocument } from "@/server/pipeline";
import { useTRPC, useTRPCClient } from "@/lib/trpc";
import { autoRetryDelay } from "./save-retry";
import type { EditorStore } from "./store";

export type SaveStatus = "saved" | "pending" | "saving" | "conflict" | "error";

export interface Autosave {
  readonly status: SaveStatus;
  readonly version: number;
  readonly error: string | null;
  /** Discard local edits: load the stored pipeline into the editor. */
  reload(): Promise<void>;
  /** Save the local document over whatever is stored now. */
  overwrite(): Promise<void>;
  /** Retry after a (non-conflict) failure. */
  retry(): void;
  /** After a restore done on the server: the editor now shows `doc`, stored as `version`. */
  adopt(doc: PipelineDocument, version: number): void;
}

const isConflict = (e: unknown) => e instanceof TRPCClientError && (e.data as { code?: string } | undefined)?.code === "CONFLICT";

export function useAutosave(store: EditorStore, id: string, initialVersion: number, delayMs = 800): Autosave {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const save = useMutation(trpc.pipelines.save.mutationOptions());
  const [status, setStatus] = useState<SaveStatus>("saved");
  const [version, setVersion] = useState(initialVersion);
  const [error, setError] = useState<string | null>(null);
  const saved = useRef<PipelineDocument>(store.doc);
  const versionRef = useRef(initialVersion);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const inFlight = useRef(false);
  const halted = useRef(false);
  const retryTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const retries = useRef(0);
  const cancelRetry = () => {
    if (retryTimer.current) clearTimeout(retryTimer.current);
    retryTimer.current = null;
  };

  const invalidate = useCallback(() => {
    void queryClient.invalidateQueries({ queryKey: trpc.pipelines.versions.queryKey({ id }) });
    void queryClient.invalidateQueries({ queryKey: trpc.pipelines.list.queryKey() });
  }, [queryClient, trpc, id]);

  const flush = useCallback(async (expected?: number): Promise<void> => {
    if (inFlight.current || (halted.current && expected === undefined)) return;
    const doc = store.doc;
    if (doc === saved.current && expected === undefined) {
      setStatus("saved");
      return;
    }
    inFlight.current = true;
    setStatus("saving");
    try {
      const res = await save.mutateAsync({ id, expectedVersion: expected ?? versionRef.current, document: doc });
      saved.current = doc;
      versionRef.current = res.version;
      setVersion(res.version);
      setError(null);
      halted.current = false;
      retries.current = 0;
      invalidate();
      inFlight.current = false;
      if (store.doc !== doc) schedule();
      else setStatus("saved");
    } catch (e) {
      inFlight.current = false;
      halted.current = true;
      if (isConflict(e)) {
        setStatus("conflict");
        setError(e instanceof Error ? e.message : String(e));
      } else {
        const message = e instanceof Error ? e.message : "Saving failed";
        const delay = autoRetryDelay(e, retries.current);
        setStatus("error");
        setError(delay === null ? message : `${message} (trying again in ${Math.round(delay / 1000)} s)`);
        cancelRetry();
        if (delay !== null) {
          retries.current += 1;
          retryTimer.current = setTimeout(() => {
            retryTimer.current = null;
            if (!halted.current) return; // saved or reloaded meanwhile
            halted.current = false;
            void flush();
          }, delay);
        }
      }
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [store, id, invalidate]);

  const schedule = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => { timer.current = null; void flush(); }, delayMs);
  }, [flush, delayMs]);

  useEffect(() => store.subscribe(() => {
    if (store.doc === saved.current || halted.current) return;
    setStatus((s) => (s === "saving" ? s : "pending"));
    schedule();
  }), [store, schedule]);

  // Unsaved edits: ask before the tab closes (a pending debounce or a conflict).
  useEffect(() => {
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      if (store.doc !== saved.current) e.preventDefault();
    };
    window.addEventListener("beforeunload", onBeforeUnload);
    return () => window.removeEventListener("beforeunload", onBeforeUnload);
  }, [store]);

  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
    if (retryTimer.current) clearTimeout(retryTimer.current);
  }, []);

  const reload = useCallback(async () => {
    const fresh = await client.pipelines.get.query({ id });
    cancelRetry();
    saved.current = fresh.document;
    versionRef.current = fresh.version;
    halted.current = false;
    store.reset(fresh.document);
    setVersion(fresh.version);
    setError(null);
    setStatus("saved");
    invalidate();
  }, [client, id, store, invalidate]);

  const overwrite = useCallback(async () => {
    const current = await client.pipelines.get.query({ id });
    halted.current = false;
    await flush(current.version);
  }, [client, id, flush]);

  const retry = useCallback(() => {
    cancelRetry();
    halted.current = false;
    void flush();
  }, [flush]);

  const adopt = useCallback((doc: PipelineDocument, v: number) => {
    saved.current = doc;
    versionRef.current = v;
    setVersion(v);
    setStatus("saved");
    invalidate();
  }, [invalidate]);

  return { status, version, error, reload, overwrite, retry, adopt };
}
