"use client";
// Keyboard shortcuts of the editor, and the help overlay that lists them (press ?).
import { Dialog } from "@/components/ui/dialog";
import { modLabel } from "@/lib/keys";

export function shortcutList(mod: string): [string, string][] {
  return [
    [`${mod} Z`, "Undo"],
    [`Shift ${mod} Z  ·  ${mod} Y`, "Redo"],
    [`${mod} C`, "Copy selected nodes"],
    [`${mod} V`, "Paste"],
    [`${mod} D`, "Duplicate selected nodes"],
    [`${mod} A`, "Select all"],
    ["Delete  ·  Backspace", "Delete selection"],
    ["Shift click  ·  Shift drag", "Multi-select"],
    ["L", "Auto-layout"],
    ["F", "Zoom to fit"],
    ["P", "Preview the selected node's rows (open / close)"],
    ["Esc", "Clear selection"],
    ["?", "Show this help"],
  ];
}

export function ShortcutsHelp({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <Dialog open={open} title="Keyboard shortcuts" onClose={onClose} footer={<button type="button" className="btn" onClick={onClose}>Close</button>}>
      <table className="shortcuts">
        <tbody>
          {shortcutList(modLabel()).map(([k, what]) => (
            <tr key={what}><td><kbd>{k}</kbd></td><td>{what}</td></tr>
          ))}
        </tbody>
      </table>
      <p className="muted small">Shortcuts work when the focus is not in a text field. Drag from a node&apos;s right handle to another node&apos;s left handle to connect them.</p>
    </Dialog>
  );
}
