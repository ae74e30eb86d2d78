"use client";
// The pipeline editor page: toolbar, palette, canvas, inspector and a dock with problems, the
// generated script and version history. State lives in an EditorStore; autosave persists it.
import { useQuery } from "@tanstack/react-query";
import { ReactFlowProvider, useReactFlow } from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import "@/components/ui/theme.css";
import Link from "next/link";
import { useCallback, useEffect, useMemo, useState } from "react";
import { serializeDocument, type PipelineDocument } from "@/server/pipeline";
import { Inspector } from "@/components/inspector/inspector";
import { Dialog } from "@/components/ui/dialog";
import { ToastProvider, useToast } from "@/components/ui/toast";
import { downloadText } from "@/lib/download";
import { isEditableTarget, modKey, modLabel } from "@/lib/keys";
import { useTRPC } from "@/lib/trpc";
import { Canvas } from "./canvas";
import { EditorContext, useEditorSelector, type EditorContextValue } from "./editor-context";
import { HistoryPanel } from "./history-panel";
import { NODE_HEIGHT, NODE_WIDTH } from "./layout";
import { Palette } from "./palette";
import { ProblemsPanel } from "./problems-panel";
import { ScriptPanel } from "./script-panel";
import { RunControls } from "@/components/runs/run-controls";
import { useCan } from "@/components/auth/auth-context";
import { RunPanel } from "@/components/runs/run-panel";
import { PreviewPanel } from "@/components/preview/preview-panel";
import { ShortcutsHelp } from "./shortcuts";
import { EditorStore } from "./store";
import { useEditorAnalysis } from "./use-analysis";
import { useAutosave, type Autosave, type SaveStatus } from "./use-autosave";

export function PipelineEditor({ id }: { id: string }) {
  const trpc = useTRPC();
  const q = useQuery({ ...trpc.pipelines.get.queryOptions({ id }), staleTime: Infinity, refetchOnWindowFocus: false, retry: false });
  if (q.isLoading) return <div className="editor-root loading"><p className="muted">Opening pipeline…</p></div>;
  if (q.error || !q.data) {
    return (
      <div className="editor-root loading">
        <div className="alert bad" role="alert"><strong>Cannot open this pipeline.</strong> {q.error?.message}</div>
        <Link href="/">Back to pipelines</Link>
      </div>
    );
  }
  return (
    <ToastProvider>
      <ReactFlowProvider>
        <LoadedEditor key={q.data.id} id={q.data.id} initial={q.data.document} version={q.data.version} />
      </ReactFlowProvider>
    </ToastProvider>
  );
}

type DockTab = "problems" | "script" | "history";

function LoadedEditor({ id, initial, version }: { id: string; initial: PipelineDocument; version: number }) {
  const [store] = useState(() => new EditorStore(initial));
  // Only the document: drags and selection re-render the canvas, not the whole editor.
  const doc = useEditorSelector(store, (s) => s.doc);
  const analysis = useEditorAnalysis(doc);
  const autosave = useAutosave(store, id, version);
  const rf = useReactFlow();
  const toast = useToast();
  const [help, setHelp] = useState(false);
  const [tab, setTab] = useState<DockTab>("problems");
  const [dockOpen, setDockOpen] = useState(true);
  // Viewers get a read-only editor: palette, inspector, name, layout and editing keys are off.
  const edit = useCan("editor");

  const focusNode = useCallback((nodeId: string) => {
    const n = store.doc.nodes.find((x) => x.id === nodeId);
    if (!n) return;
    store.select([nodeId]);
    void rf.setCenter(n.position.x + NODE_WIDTH / 2, n.position.y + NODE_HEIGHT / 2, { zoom: Math.max(rf.getZoom(), 0.6), duration: 200 });
  }, [store, rf]);

  const ctx = useMemo<EditorContextValue>(() => ({ store, analysis, focusNode }), [store, analysis, focusNode]);

  const fit = useCallback(() => { void rf.fitView({ maxZoom: 1, padding: 0.2, duration: 200 }); }, [rf]);
  const layout = useCallback(() => {
    store.autoLayout();
    requestAnimationFrame(() => fit());
  }, [store, fit]);
  const exportDoc = useCallback(() => downloadText(`${id}.pipeline.json`, serializeDocument(store.doc), "application/json"), [id, store]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || isEditableTarget(e.target) || document.querySelector("dialog[open]")) return;
      const k = e.key.toLowerCase();
      const editing = (modKey(e) && (k === "z" || k === "y" || k === "v" || k === "d")) || ((e.key === "Delete" || e.key === "Backspace") && !modKey(e)) || (!modKey(e) && !e.altKey && k === "l");
      if (editing && !edit.ok) return;
      if (modKey(e) && k === "z") {
        e.preventDefault();
        if (e.shiftKey) store.redo();
        else store.undo();
      } else if (modKey(e) && k === "y") {
        e.preventDefault();
        store.redo();
      } else if (modKey(e) && k === "c") {
        const n = store.copy();
        if (n) toast(`Copied ${n} node${n === 1 ? "" : "s"}`);
      } else if (modKey(e) && k === "v") {
        e.preventDefault();
        store.paste();
      } else if (modKey(e) && k === "d") {
        e.preventDefault();
        store.duplicate();
      } else if (modKey(e) && k === "a") {
        e.preventDefault();
        store.selectAll();
      } else if ((e.key === "Delete" || e.key === "Backspace") && !modKey(e)) {
        e.preventDefault();
        store.deleteSelection();
      } else if (e.key === "?") {
        setHelp(true);
      } else if (e.key === "Escape") {
        store.select([]);
      } else if (!modKey(e) && !e.altKey && k === "l") {
        layout();
      } else if (!modKey(e) && !e.altKey && k === "f") {
        fit();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [store, toast, layout, fit, edit.ok]);

  const errors = analysis.analysis.diagnostics.filter((d) => d.severity === "error").length;
  const warnings = analysis.analysis.diagnostics.length - errors;

  return (
    <EditorContext.Provider value={ctx}>
      <div className="editor-root">
        <header className="editor-bar">
          <Link href="/pipelines" className="brand-mini" aria-label="All pipelines">◆ Pipelines</Link>
          <span className="crumb-sep" aria-hidden>/</span>
          <input
            className="name-input" aria-label="Pipeline name" value={doc.name}
            onChange={(e) => store.setPipelineName(e.target.value)} onBlur={() => store.breakCoalescing()}
            readOnly={!edit.ok} title={edit.title}
          />
          <SaveBadge autosave={autosave} />
          <div className="bar-spacer" />
          <RunControls pipelineId={id} autosave={autosave} />
          <UndoRedo store={store} />
          <div className="btn-group" role="group" aria-label="View">
            <button type="button" className="btn" onClick={layout} disabled={!edit.ok} title={edit.title ?? "Arrange nodes left to right (L)"}>Auto-layout</button>
            <button type="button" className="btn" onClick={fit} title="Zoom to fit (F)">Zoom to fit</button>
          </div>
          <button type="button" className="btn" onClick={exportDoc} title="Download the pipeline as JSON">Export</button>
          <button type="button" className="btn icon" onClick={() => setHelp(true)} aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)">?</button>
        </header>
        <div className="editor-main">
          <fieldset className="perm-fieldset" disabled={!edit.ok} title={edit.title}><Palette /></fieldset>
          <div className="editor-center">
            <Canvas />
            <PreviewPanel />
            <RunPanel pipelineId={id} />
            <section className={`dock${dockOpen ? "" : " closed"}`} aria-label="Panels">
              <div className="dock-tabs" role="tablist" aria-label="Panels">
                <DockTabButton tab="problems" current={tab} onSelect={(t) => { setTab(t); setDockOpen(true); }}>
                  Problems {errors ? <span className="count bad">{errors}</span> : null}{warnings ? <span className="count warn">{warnings}</span> : null}
                  {!errors && !warnings ? <span className="count good">0</span> : null}
                </DockTabButton>
                <DockTabButton tab="script" current={tab} onSelect={(t) => { setTab(t); setDockOpen(true); }}>Script</DockTabButton>
                <DockTabButton tab="history" current={tab} onSelect={(t) => { setTab(t); setDockOpen(true); }}>History</DockTabButton>
                <div className="bar-spacer" />
                <button type="button" className="btn ghost small" onClick={() => setDockOpen((o) => !o)} aria-expanded={dockOpen}>{dockOpen ? "Hide panel" : "Show panel"}</button>
              </div>
              {dockOpen ? (
                <div className="dock-body" role="tabpanel" aria-label={tab === "problems" ? "Problems" : tab === "script" ? "Script" : "History"}>
                  {tab === "problems" ? <ProblemsPanel /> : null}
                  {tab === "script" ? <ScriptPanel pipelineId={id} /> : null}
                  {tab === "history" ? <HistoryPanel pipelineId={id} autosave={autosave} /> : null}
                </div>
              ) : null}
            </section>
          </div>
          <fieldset className="perm-fieldset" disabled={!edit.ok} title={edit.title}><Inspector /></fieldset>
        </div>
        <ShortcutsHelp open={help} onClose={() => setHelp(false)} />
        <ConflictDialog autosave={autosave} />
      </div>
    </EditorContext.Provider>
  );
}

function UndoRedo({ store }: { store: EditorStore }) {
  const undo = useEditorSelector(store, (s) => s.undoLabel);
  const redo = useEditorSelector(store, (s) => s.redoLabel);
  const mod = modLabel();
  return (
    <div className="btn-group" role="group" aria-label="History">
      <button type="button" className="btn" onClick={() => store.undo()} disabled={!undo} title={undo ? `Undo ${undo} (${mod}+Z)` : "Nothing to undo"}>↶ Undo</button>
      <button type="button" className="btn" onClick={() => store.redo()} disabled={!redo} title={redo ? `Redo ${redo} (Shift+${mod}+Z)` : "Nothing to redo"}>↷ Redo</button>
    </div>
  );
}

function DockTabButton(props: { tab: DockTab; current: DockTab; onSelect: (t: DockTab) => void; children: React.ReactNode }) {
  const on = props.tab === props.current;
  return (
    <button type="button" role="tab" aria-selected={on} className={`dock-tab${on ? " on" : ""}`} onClick={() => props.onSelect(props.tab)}>
      {props.children}
    </button>
  );
}

const STATUS_TEXT: Record<SaveStatus, string> = {
  saved: "Saved",
  pending: "Unsaved changes",
  saving: "Saving…",
  conflict: "Conflict",
  error: "Not saved",
};

function SaveBadge({ autosave }: { autosave: Autosave }) {
  return (
    <span className={`save-badge ${autosave.status}`} role="status" aria-label="Save status" title={autosave.error ?? undefined}>
      {STATUS_TEXT[autosave.status]}{autosave.status === "saved" ? ` · v${autosave.version}` : ""}
      {autosave.status === "error" ? <button type="button" className="link" onClick={autosave.retry}>Retry</button> : null}
    </span>
  );
}

function ConflictDialog({ autosave }: { autosave: Autosave }) {
  const [busy, setBusy] = useState(false);
  const toast = useToast();
  const run = async (f: () => Promise<void>, done: string) => {
    setBusy(true);
    try {
      await f();
      toast(done, "success");
    } catch (e) {
      toast(e instanceof Error ? e.message : "That did not work", "error");
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open={autosave.status === "conflict"} title="This pipeline was changed elsewhere" onClose={() => {}} dismissable={false}
      footer={
        <>
          <button type="button" className="btn" disabled={busy} onClick={() => run(autosave.reload, "Reloaded the saved pipeline")}>Reload (discard mine)</button>
          <button type="button" className="btn primary" disabled={busy} onClick={() => run(autosave.overwrite, "Saved your version over theirs")}>Overwrite (save mine)</button>
        </>
      }
    >
      <p>{autosave.error}</p>
      <p className="muted">
        Your edits are kept in this tab until you choose. <strong>Reload</strong> shows the saved pipeline and drops your unsaved edits.{" "}
        <strong>Overwrite</strong> saves yours as the newest version; theirs stays in the version history and can be restored.
      </p>
    </Dialog>
  );
}
