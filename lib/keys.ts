// Keyboard helpers for editor shortcuts: never steal keys from text fields or code editors.

/** Whether a key event happens inside something that edits text (input, select, CodeMirror...). */
export function isEditableTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === "TEXTAREA" || tag === "SELECT") return true;
  if (tag === "INPUT") {
    const type = (target as HTMLInputElement).type;
    return !["checkbox", "radio", "button", "submit", "range", "color", "file"].includes(type);
  }
  return target.closest(".cm-editor") !== null;
}

/** Ctrl on Linux/Windows, Cmd on macOS. */
export const modKey = (e: KeyboardEvent | React.KeyboardEvent) => e.ctrlKey || e.metaKey;

/** "Ctrl" or "⌘" for shortcut hints. */
export function modLabel(): string {
  return typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform) ? "⌘" : "Ctrl";
}
