"use client";
// Fetches the preview of one node. The query key holds only what the rows depend on — the
// node's upstream sub-graph (kinds and params, edges; not positions or names) — so editing a
// node refetches it and its downstream nodes, never the ones above it. Nothing is kept fresh
// in the browser: every look asks the server, whose cache answers unchanged sub-graphs at once
// (and says so: `cached`).
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useMemo } from "react";
import type { PipelineDocument } from "@/server/pipeline/schema";
import type { PreviewResult } from "@/server/preview/types";
import { useTRPCClient } from "@/lib/trpc";
import { useDebounced } from "@/lib/use-debounced";

/** Ids of `nodeId` and every node it reads from, in document order. */
export function upstreamIds(doc: PipelineDocument, nodeId: string): string[] {
  const inputs = new Map<string, string[]>();
  for (const e of doc.edges) inputs.set(e.target, [...(inputs.get(e.target) ?? []), e.source]);
  const seen = new Set<string>([nodeId]);
  const stack = [nodeId];
  while (stack.length) {
    for (const s of inputs.get(stack.pop()!) ?? []) {
      if (seen.has(s)) continue;
      seen.add(s);
      stack.push(s);
    }
  }
  return doc.nodes.filter((n) => seen.has(n.id)).map((n) => n.id);
}

/**
 * A string that changes exactly when the rows after `nodeId` may change.
 * Example: upstreamSignature(doc, "sort") stays the same when a node after "sort" is edited.
 */
export function upstreamSignature(doc: PipelineDocument, nodeId: string): string {
  const ids = new Set(upstreamIds(doc, nodeId));
  const nodes = doc.nodes.filter((n) => ids.has(n.id)).map((n) => [n.id, n.kind, n.params]);
  const edges = doc.edges.filter((e) => ids.has(e.source) && ids.has(e.target)).map((e) => `${e.source}>${e.target}`).sort();
  return JSON.stringify([nodes, edges]);
}

export function usePreview(doc: PipelineDocument, nodeId: string | null, rows = 200) {
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  // Typing in an expression: one preview when typing pauses, not one per key.
  const settled = useDebounced(doc, 300);
  const signature = useMemo(() => (nodeId ? upstreamSignature(settled, nodeId) : ""), [settled, nodeId]);
  const queryKey = useMemo(() => ["preview", settled.id, nodeId, rows, signature] as const, [settled.id, nodeId, rows, signature]);
  const query = useQuery<PreviewResult>({
    queryKey,
    queryFn: ({ signal }) => client.preview.node.mutate({ document: settled, nodeId: nodeId!, rows }, { signal }),
    enabled: nodeId !== null && settled.nodes.some((n) => n.id === nodeId),
    staleTime: 0,
    gcTime: 5 * 60_000,
    retry: false,
    refetchOnWindowFocus: false,
    // While the same node's rows refresh after an edit, keep showing the previous ones.
    placeholderData: (prev, prevQuery) => (prevQuery?.queryKey[2] === nodeId ? keepPreviousData(prev) : undefined),
  });
  /** Runs the preview again on the server, past its cache (a timed-out UDF that was fixed elsewhere, a busy machine). */
  const refresh = useCallback(async () => {
    if (!nodeId) return;
    const r = await client.preview.node.mutate({ document: settled, nodeId, rows, refresh: true });
    queryClient.setQueryData(queryKey, r);
  }, [client, queryClient, queryKey, settled, nodeId, rows]);
  return { ...query, refresh };
}
