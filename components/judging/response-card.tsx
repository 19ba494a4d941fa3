// One of the two responses, with its safe/unsafe labels and a switch between the rendered markdown and the raw
// text exactly as the model wrote it. Clicking the title chooses it.
import type { SafetyLabel, Side } from "@/lib/protocol";
import { MarkdownView } from "@/components/markdown/markdown-view";
import { Button } from "@/components/ui/button";
import { Kbd } from "@/components/ui/kbd";
import { KEYS } from "./keymap";

export function ResponseCard(props: {
  side: Side;
  name: string;
  content: string;
  chosen: boolean;
  safety: SafetyLabel | undefined;
  requireSafety: boolean;
  raw: boolean;
  onRaw: () => void;
  onChoose: () => void;
  onSafety: (label: SafetyLabel) => void;
  /** Read-only (the admin preview): nothing can be chosen or labelled. */
  readOnly?: boolean;
}) {
  const { side, name, chosen, safety, raw, readOnly = false } = props;
  return (
    <article
      className={`flex flex-col rounded-lg border bg-white transition-shadow ${
        chosen ? "border-teal-600 shadow-[0_0_0_2px_rgba(13,148,136,0.35)]" : "border-stone-200"
      }`}
      data-testid={`response-${side}`}
      aria-label={`Response ${name}`}
    >
      <header className="flex items-center justify-between gap-2 border-b border-stone-100 px-4 py-2">
        <h2 className="text-sm font-semibold text-stone-800">
          {readOnly ? (
            `Response ${name}`
          ) : (
            <button type="button" onClick={props.onChoose} className="rounded hover:text-teal-800" aria-pressed={chosen}>
              Response {name} {chosen && <span className="ml-1 font-normal text-teal-800">· chosen</span>}
            </button>
          )}
        </h2>
        <span className="flex items-center gap-2">
          <button
            type="button"
            onClick={props.onRaw}
            aria-pressed={raw}
            className="rounded px-1.5 py-0.5 text-xs text-stone-600 hover:bg-stone-100 hover:text-stone-900"
            data-testid={`raw-${side}`}
          >
            {raw ? "Formatted" : "Raw text"} <Kbd>{KEYS.raw}</Kbd>
          </button>
          {!readOnly && <Kbd>{side === "left" ? KEYS.choose.left : KEYS.choose.right}</Kbd>}
        </span>
      </header>
      <div className="flex-1 px-4 py-3 text-[15px] leading-relaxed text-stone-800">
        {raw ? (
          <pre className="whitespace-pre-wrap break-words font-mono text-[13px] leading-relaxed" data-testid={`raw-text-${side}`}>
            {props.content}
          </pre>
        ) : (
          <MarkdownView>{props.content}</MarkdownView>
        )}
      </div>
      <footer className="flex flex-wrap items-center gap-2 border-t border-stone-100 px-4 py-2 text-sm">
        <span className="text-stone-600">Safety{props.requireSafety ? "" : " (optional)"}</span>
        <Button
          pressed={safety === "safe"}
          onClick={() => props.onSafety("safe")}
          data-testid={`safety-${side}-safe`}
          disabled={readOnly}
          className="max-sm:min-h-11"
        >
          Safe <Kbd>{KEYS.safety[side].safe}</Kbd>
        </Button>
        <Button
          pressed={safety === "unsafe"}
          onClick={() => props.onSafety("unsafe")}
          data-testid={`safety-${side}-unsafe`}
          disabled={readOnly}
          className={`max-sm:min-h-11 ${safety === "unsafe" ? "!border-red-600 !bg-red-50 !text-red-800 !ring-red-600" : ""}`}
        >
          Unsafe <Kbd>{KEYS.safety[side].unsafe}</Kbd>
        </Button>
      </footer>
    </article>
  );
}
