"use client";
// The one modal dialog: a native <dialog> shown with showModal(), so the page behind is inert and focus stays inside
// (Tab cannot leave it), and focus starts on the control marked data-autofocus. Escape and a click outside close it;
// closing gives focus back to where it was. Keys typed inside never reach the page's shortcuts (they check whether
// the event came from a dialog).
import { useEffect, useId, useRef } from "react";

const FOCUSABLE = "button, [href], input, select, textarea, [tabindex]:not([tabindex='-1'])";

export function Dialog({ title, onClose, children, testId }: { title: string; onClose: () => void; children: React.ReactNode; testId?: string }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    // The control marked data-autofocus takes the focus (the safe or the expected answer), else the first one.
    dialog.querySelector<HTMLElement>("[data-autofocus]")?.focus();
    return () => {
      if (dialog.open) dialog.close();
      before?.focus({ preventScroll: true });
    };
  }, []);
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      data-testid={testId}
      className="m-auto w-[min(28rem,calc(100vw-2rem))] rounded-lg bg-white p-5 text-sm text-stone-800 shadow-xl backdrop:bg-stone-900/40"
      onCancel={(event) => {
        // Escape: close through the owner, so its state says closed too.
        event.preventDefault();
        onClose();
      }}
      onClick={(event) => {
        if (event.target === event.currentTarget) onClose();
      }}
      onKeyDown={(event) => {
        // Tab and Shift+Tab go round the dialog's own controls; they never leave it for the page or the browser.
        if (event.key !== "Tab") return;
        const controls = [...event.currentTarget.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => !el.hasAttribute("disabled"));
        if (controls.length === 0) return;
        const first = controls[0];
        const last = controls[controls.length - 1];
        if (event.shiftKey && document.activeElement === first) {
          event.preventDefault();
          last.focus();
        } else if (!event.shiftKey && document.activeElement === last) {
          event.preventDefault();
          first.focus();
        }
      }}
    >
      <h2 id={titleId} className="mb-2 text-base font-semibold text-stone-900">
        {title}
      </h2>
      {children}
    </dialog>
  );
}
