"use client";
// Binds the judging keys (keymap.ts) to a page while it is shown: `onAction` returns whether it used the key.
import { useEffect } from "react";
import { judgingAction, shortcutApplies, type JudgingAction } from "./keymap";

export function useShortcuts(onAction: (action: JudgingAction) => boolean, onEscape?: () => boolean) {
  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      if (event.key === "Escape") {
        if (!(event.target instanceof Element && event.target.closest("dialog")) && onEscape?.()) event.preventDefault();
        return;
      }
      if (!shortcutApplies(event)) return;
      const action = judgingAction(event.key);
      if (action && onAction(action)) event.preventDefault();
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onAction, onEscape]);
}
