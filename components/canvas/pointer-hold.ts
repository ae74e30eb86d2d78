// Whether the pointer holds a canvas node, for the panels that follow the selection: one pair of
// window listeners for all of them, and one release (a frame after pointer up) that they all
// switch on together.
let held = false;
let grabs = 0;
const listeners = new Set<() => void>();

const notify = () => {
  for (const l of listeners) l();
};

function down(e: PointerEvent) {
  if (!(e.target instanceof Element && e.target.closest(".react-flow__node"))) return;
  grabs++;
  if (!held) {
    held = true;
    notify();
  }
}

function up() {
  if (!held) return;
  const grab = grabs;
  // After the next frame is painted (requestAnimationFrame runs before the paint, the timeout
  // after it), so the dropped node shows in place before the panels rebuild.
  requestAnimationFrame(() => {
    setTimeout(() => {
      if (grabs !== grab || !held) return; // grabbed again meanwhile: that release decides
      held = false;
      notify();
    });
  });
}

/** useSyncExternalStore's subscribe: the window listeners live while anything listens. */
export function subscribePointerHold(listener: () => void): () => void {
  if (listeners.size === 0) {
    window.addEventListener("pointerdown", down, true);
    window.addEventListener("pointerup", up, true);
    window.addEventListener("pointercancel", up, true);
  }
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
    if (listeners.size > 0) return;
    window.removeEventListener("pointerdown", down, true);
    window.removeEventListener("pointerup", up, true);
    window.removeEventListener("pointercancel", up, true);
    held = false;
  };
}

export const isPointerHolding = (): boolean => held;
