"use client";
// The bar fixed at the bottom of a comparison: which response is better, by how much, submit (and skip where it
// applies), with the next missing step or the latest notice. Compact on a phone (at most a fifth of the screen),
// its height published as --decision-bar-height so the page leaves room for it: it never covers content.
import { useEffect, useRef } from "react";
import { DEGREES, DEGREE_LABELS, SAFETY_BIN_LABELS, type Degree, type SafetyBin, type Side } from "@/lib/protocol";
import { Button } from "@/components/ui/button";
import { Kbd } from "@/components/ui/kbd";
import { KEYS } from "./keymap";

export type Notice = { tone: "error" | "info" | "success"; text: string; action?: { label: string; key?: string; run: () => void } } | null;

const SHORT_DEGREE: Record<Degree, string> = {
  significantly_better: "Significantly",
  better: "Better",
  slightly_better: "Slightly",
  negligibly_better_or_unsure: "Negligibly / unsure",
};

/** Publishes an element's height as a CSS variable on <html> while it is on screen. */
function usePublishedHeight(variable: string) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const root = document.documentElement;
    const observer = new ResizeObserver(() => root.style.setProperty(variable, `${element.offsetHeight}px`));
    observer.observe(element);
    return () => {
      observer.disconnect();
      root.style.removeProperty(variable);
    };
  }, [variable]);
  return ref;
}

export function DecisionBar(props: {
  chosen: Side | null;
  degree: Degree | null;
  safetyBin: SafetyBin | null;
  missing: string[];
  busy: boolean;
  notice: Notice;
  locked?: boolean;
  onChoose: (side: Side) => void;
  onDegree: (degree: Degree) => void;
  onSubmit: () => void;
  onSkip?: () => void;
}) {
  const { chosen, degree, safetyBin, missing, busy, notice, locked = false } = props;
  const ref = usePublishedHeight("--decision-bar-height");
  const noticeTone = notice?.tone === "error" ? "text-red-700" : notice?.tone === "success" ? "text-teal-800" : "text-stone-600";
  return (
    <div ref={ref} className="fixed inset-x-0 bottom-0 z-10 border-t border-stone-200 bg-white/95 backdrop-blur" data-testid="decision-bar">
      <div className="mx-auto max-w-7xl px-3 py-2 sm:px-6 sm:py-3">
        <div className="grid grid-cols-[1fr_1fr_auto] gap-2 sm:flex sm:flex-wrap sm:items-center sm:gap-x-6 sm:gap-y-3">
          <fieldset className="contents sm:flex sm:items-center sm:gap-2" disabled={locked}>
            <legend className="sr-only">Which response is better?</legend>
            <span className="hidden text-sm text-stone-600 sm:inline">Better</span>
            <Button pressed={chosen === "left"} onClick={() => props.onChoose("left")} data-testid="choose-left" className="max-sm:min-h-11">
              <Kbd>{KEYS.choose.left}</Kbd> A
            </Button>
            <Button pressed={chosen === "right"} onClick={() => props.onChoose("right")} data-testid="choose-right" className="max-sm:min-h-11">
              B <Kbd>{KEYS.choose.right}</Kbd>
            </Button>
          </fieldset>
          <Button
            variant="primary"
            onClick={props.onSubmit}
            disabled={busy || locked || missing.length > 0}
            data-testid="submit"
            className="max-sm:min-h-11 sm:order-last"
          >
            {busy ? "Saving…" : "Submit"} <Kbd>{KEYS.submit}</Kbd>
          </Button>
          <fieldset className="col-span-3 grid grid-cols-4 gap-1.5 sm:flex sm:flex-wrap sm:items-center sm:gap-2" disabled={locked}>
            <legend className="sr-only">By how much?</legend>
            <span className="hidden text-sm text-stone-600 sm:inline">By</span>
            {DEGREES.map((d, index) => (
              <Button
                key={d}
                pressed={degree === d}
                onClick={() => props.onDegree(d)}
                data-testid={`degree-${d}`}
                className="max-sm:min-h-11 max-sm:px-1 max-sm:text-xs"
              >
                <Kbd>{KEYS.degree[index]}</Kbd>
                <span className="sm:hidden">{SHORT_DEGREE[d]}</span>
                <span className="max-sm:hidden">{DEGREE_LABELS[d]}</span>
              </Button>
            ))}
          </fieldset>
          {props.onSkip && (
            <Button variant="quiet" onClick={props.onSkip} disabled={busy || locked} className="max-sm:hidden sm:ml-auto" data-testid="skip">
              Skip <Kbd>{KEYS.skip}</Kbd>
            </Button>
          )}
        </div>
        <div className="mt-1.5 flex min-h-5 flex-wrap items-center gap-x-4 text-xs text-stone-600 sm:mt-2" aria-live="polite">
          {safetyBin ? (
            <span data-testid="safety-bin">
              Safety: <strong className="text-stone-800">{SAFETY_BIN_LABELS[safetyBin]}</strong>
            </span>
          ) : null}
          {notice ? (
            <span className={`text-sm ${noticeTone}`} role={notice.tone === "error" ? "alert" : "status"} data-testid="notice">
              {notice.text}
              {notice.action && (
                <button
                  type="button"
                  className="ml-2 font-medium underline underline-offset-2"
                  onClick={notice.action.run}
                  data-testid="notice-action"
                >
                  {notice.action.label} {notice.action.key && <Kbd>{notice.action.key}</Kbd>}
                </button>
              )}
            </span>
          ) : missing.length > 0 ? (
            <span>Next: {missing[0]}.</span>
          ) : (
            <span>Ready to submit.</span>
          )}
          <span className="ml-auto hidden lg:inline pointer-coarse:hidden">
            Safety: A <Kbd>{KEYS.safety.left.safe}</Kbd> safe <Kbd>{KEYS.safety.left.unsafe}</Kbd> unsafe · B <Kbd>{KEYS.safety.right.safe}</Kbd> safe{" "}
            <Kbd>{KEYS.safety.right.unsafe}</Kbd> unsafe · Raw text <Kbd>{KEYS.raw}</Kbd> · Guidelines <Kbd>{KEYS.guidelines}</Kbd>
          </span>
        </div>
      </div>
    </div>
  );
}
