"use client";
// A modal dialog on the native <dialog> element: focus trap, Esc to close and the dialog role
// come from the browser; the title names it for assistive tech and role locators.
import { useEffect, useId, useRef, type ReactNode } from "react";

export function Dialog(props: {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  wide?: boolean;
  /** When false, Esc and backdrop clicks do not close it (a choice must be made). */
  dismissable?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const { open, onClose, dismissable = true } = props;
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className={`dialog${props.wide ? " wide" : ""}`}
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        if (dismissable) onClose();
      }}
      onClick={(e) => {
        if (dismissable && e.target === ref.current) onClose();
      }}
    >
      {open ? (
        <div className="dialog-body">
          <h2 id={titleId} className="dialog-title">{props.title}</h2>
          <div className="dialog-content">{props.children}</div>
          {props.footer ? <div className="dialog-footer">{props.footer}</div> : null}
        </div>
      ) : null}
    </dialog>
  );
}
