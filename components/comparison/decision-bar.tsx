"use client";
// The bar fixed at the bottom of a comparison: which response is better, by how much, submit (and skip where it
// applies), with the next missing step or the latest notice. `locked` shows it greyed while the responses arrive.
import { DEGREES, DEGREE_LABELS, SAFETY_BIN_LABELS, type Degree, type SafetyBin, type Side } from "@/lib/protocol";
import { Button } from "@/components/ui/button";
import { Kbd } from "@/components/ui/kbd";

export type Notice = { tone: "error" | "info" | "success"; text: string } | null;

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
  const noticeTone =
    notice?.tone === "error" ? "text-red-700" : notice?.tone === "success" ? "text-teal-800" : "text-stone-600";
  return (
    <div className="fixed inset-x-0 bottom-0 z-10 border-t border-stone-200 bg-white/95 backdrop-blur">
      <div className="mx-auto max-w-7xl px-4 py-3 sm:px-6">
        <div className="flex flex-wrap items-center gap-x-6 gap-y-3">
          <fieldset className="flex items-center gap-2" disabled={locked}>
            <legend className="sr-only">Which response is better?</legend>
            <span className="text-sm text-stone-500">Better</span>
            <Button pressed={chosen === "left"} onClick={() => props.onChoose("left")} data-testid="choose-left">
              <Kbd>←</Kbd> A
            </Button>
            <Button pressed={chosen === "right"} onClick={() => props.onChoose("right")} data-testid="choose-right">
              B <Kbd>→</Kbd>
            </Button>
          </fieldset>
          <fieldset className="flex flex-wrap items-center gap-2" disabled={locked}>
            <legend className="sr-only">By how much?</legend>
            <span className="text-sm text-stone-500">By</span>
            {DEGREES.map((d, index) => (
              <Button key={d} pressed={degree === d} onClick={() => props.onDegree(d)} data-testid={`degree-${d}`}>
                <Kbd>{index + 1}</Kbd> {DEGREE_LABELS[d]}
              </Button>
            ))}
          </fieldset>
          <div className="ml-auto flex items-center gap-2">
            {props.onSkip && (
              <Button variant="quiet" onClick={props.onSkip} disabled={busy || locked}>
                Skip <Kbd>S</Kbd>
              </Button>
            )}
            <Button variant="primary" onClick={props.onSubmit} disabled={busy || locked || missing.length > 0} data-testid="submit">
              {busy ? "Saving…" : "Submit"} <Kbd>Enter</Kbd>
            </Button>
          </div>
        </div>
        <div className="mt-2 flex flex-wrap items-center gap-x-4 text-xs text-stone-500" aria-live="polite">
          {safetyBin ? (
            <span data-testid="safety-bin">
              Safety: <strong className="text-stone-800">{SAFETY_BIN_LABELS[safetyBin]}</strong>
            </span>
          ) : null}
          {notice ? (
            <span className={`text-sm ${noticeTone}`} role={notice.tone === "error" ? "alert" : "status"} data-testid="notice">
              {notice.text}
            </span>
          ) : missing.length > 0 ? (
            <span>Next: {missing[0]}.</span>
          ) : (
            <span>Ready: press Enter to submit.</span>
          )}
          <span className="ml-auto hidden lg:inline">
            Safety: A <Kbd>Q</Kbd> safe <Kbd>W</Kbd> unsafe · B <Kbd>O</Kbd> safe <Kbd>P</Kbd> unsafe · Guidelines <Kbd>G</Kbd>
          </span>
        </div>
      </div>
    </div>
  );
}
