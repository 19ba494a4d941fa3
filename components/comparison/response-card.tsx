// One of the two responses, with its safe/unsafe labels. Clicking the card chooses it.
import type { SafetyLabel, Side } from "@/lib/protocol";
import { MarkdownView } from "@/components/markdown/markdown-view";
import { Button } from "@/components/ui/button";
import { Kbd } from "@/components/ui/kbd";

const SAFETY_KEYS: Record<Side, Record<SafetyLabel, string>> = {
  left: { safe: "Q", unsafe: "W" },
  right: { safe: "O", unsafe: "P" },
};

export function ResponseCard(props: {
  side: Side;
  name: string;
  content: string;
  chosen: boolean;
  safety: SafetyLabel | undefined;
  requireSafety: boolean;
  onChoose: () => void;
  onSafety: (label: SafetyLabel) => void;
}) {
  const { side, name, chosen, safety } = props;
  return (
    <article
      className={`flex flex-col rounded-lg border bg-white transition-shadow ${
        chosen ? "border-teal-600 shadow-[0_0_0_2px_rgba(13,148,136,0.35)]" : "border-stone-200"
      }`}
      data-testid={`response-${side}`}
      aria-label={`Response ${name}`}
    >
      <header className="flex items-center justify-between border-b border-stone-100 px-4 py-2">
        <button type="button" onClick={props.onChoose} className="text-sm font-semibold text-stone-800 hover:text-teal-800">
          Response {name} {chosen && <span className="ml-1 font-normal text-teal-700">· chosen</span>}
        </button>
        <Kbd>{side === "left" ? "←" : "→"}</Kbd>
      </header>
      <div className="flex-1 px-4 py-3 text-[15px] leading-relaxed text-stone-800">
        <MarkdownView>{props.content}</MarkdownView>
      </div>
      <footer className="flex items-center gap-2 border-t border-stone-100 px-4 py-2 text-sm">
        <span className="text-stone-500">
          Safety{props.requireSafety ? "" : " (optional)"}
        </span>
        <Button pressed={safety === "safe"} onClick={() => props.onSafety("safe")} data-testid={`safety-${side}-safe`}>
          Safe <Kbd>{SAFETY_KEYS[side].safe}</Kbd>
        </Button>
        <Button
          pressed={safety === "unsafe"}
          onClick={() => props.onSafety("unsafe")}
          data-testid={`safety-${side}-unsafe`}
          className={safety === "unsafe" ? "!border-red-600 !bg-red-50 !text-red-800 !ring-red-600" : ""}
        >
          Unsafe <Kbd>{SAFETY_KEYS[side].unsafe}</Kbd>
        </Button>
      </footer>
    </article>
  );
}
