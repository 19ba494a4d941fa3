// The annotator's keys, written once: the judging pages act on them and the controls show them. On a touch screen
// the hints are hidden (components/ui/kbd.tsx), the controls stay.
import { DEGREES, type Degree, type SafetyLabel, type Side } from "@/lib/protocol";

export type JudgingAction =
  | { kind: "choose"; side: Side }
  | { kind: "degree"; degree: Degree }
  | { kind: "safety"; side: Side; label: SafetyLabel }
  | { kind: "submit" }
  | { kind: "skip" }
  | { kind: "guidelines" }
  | { kind: "raw" }
  | { kind: "undo" }
  // The writing page: retry a failed column, write the next turn, end the dialogue.
  | { kind: "retry" }
  | { kind: "next-turn" }
  | { kind: "end" };

export const KEYS = {
  choose: { left: "←", right: "→" },
  degree: ["1", "2", "3", "4"],
  safety: { left: { safe: "Q", unsafe: "W" }, right: { safe: "O", unsafe: "P" } },
  submit: "Enter",
  skip: "S",
  guidelines: "G",
  raw: "M",
  undo: "⌫",
  retry: "R",
  nextTurn: "N",
  end: "E",
} as const;

/** The action a key stands for on a judging page, or null. Letters in either case. */
export function judgingAction(key: string): JudgingAction | null {
  const k = key.length === 1 ? key.toLowerCase() : key;
  if (k === "ArrowLeft" || k === "a") return { kind: "choose", side: "left" };
  if (k === "ArrowRight" || k === "d") return { kind: "choose", side: "right" };
  const degree = KEYS.degree.indexOf(k as (typeof KEYS.degree)[number]);
  if (degree >= 0) return { kind: "degree", degree: DEGREES[degree] };
  for (const side of ["left", "right"] as const) {
    for (const label of ["safe", "unsafe"] as const) {
      if (k === KEYS.safety[side][label].toLowerCase()) return { kind: "safety", side, label };
    }
  }
  if (k === "Enter") return { kind: "submit" };
  if (k === "s") return { kind: "skip" };
  if (k === "g") return { kind: "guidelines" };
  if (k === "m") return { kind: "raw" };
  if (k === "Backspace") return { kind: "undo" };
  if (k === "r") return { kind: "retry" };
  if (k === "n") return { kind: "next-turn" };
  if (k === "e") return { kind: "end" };
  return null;
}

const TYPING = "input, textarea, select, [contenteditable=''], [contenteditable='true']";
const CONTROLS = "button, a[href], summary, [role=button], [role=tab], [role=link], label";

/**
 * Whether the page's shortcuts may act on this key event: never while typing or inside a dialog (it has its own
 * keys), and Enter (or Space) never when focus is on a control: the control does its own job, the submit button
 * included (its click submits).
 */
export function shortcutApplies(event: KeyboardEvent): boolean {
  if (event.defaultPrevented || event.metaKey || event.ctrlKey || event.altKey) return false;
  const target = event.target instanceof Element ? event.target : null;
  if (!target) return true;
  if (target.closest("dialog") || target.closest(TYPING)) return false;
  if ((event.key === "Enter" || event.key === " ") && target.closest(CONTROLS)) return false;
  return true;
}
