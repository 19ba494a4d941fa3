// One column while its response arrives: the text so far (markdown), what the model is doing, and on failure the
// error with a retry of this column only. Same frame as ResponseCard, which replaces it once both are complete.
import type { Side } from "@/lib/protocol";
import { MarkdownView } from "@/components/markdown/markdown-view";
import { Button } from "@/components/ui/button";
import { Kbd } from "@/components/ui/kbd";

export type ColumnState = {
  status: "waiting" | "streaming" | "done" | "error";
  text: string;
  responseId: string | null;
  error: string | null;
};

const STATUS_LABEL: Record<ColumnState["status"], string> = {
  waiting: "Waiting for the model",
  streaming: "Writing",
  done: "Complete",
  error: "Failed",
};

export function StreamingCard({ side, name, column, onRetry }: { side: Side; name: string; column: ColumnState; onRetry: () => void }) {
  const active = column.status === "waiting" || column.status === "streaming";
  return (
    <article
      className="flex flex-col rounded-lg border border-stone-200 bg-white"
      data-testid={`response-${side}`}
      data-status={column.status}
      aria-label={`Response ${name}`}
      aria-busy={active}
    >
      <header className="flex items-center justify-between border-b border-stone-100 px-4 py-2">
        <span className="text-sm font-semibold text-stone-800">Response {name}</span>
        <span className={`flex items-center gap-2 text-xs ${column.status === "error" ? "text-red-700" : "text-stone-600"}`}>
          {active && <span className="h-1.5 w-1.5 animate-pulse rounded-full bg-teal-600" aria-hidden />}
          {STATUS_LABEL[column.status]}
        </span>
      </header>
      <div className={`min-h-40 flex-1 px-4 py-3 text-[15px] leading-relaxed text-stone-800 ${column.status === "error" ? "opacity-50" : ""}`}>
        {column.text ? (
          <MarkdownView>{column.text}</MarkdownView>
        ) : (
          <p className="text-stone-600">{active ? "…" : "Nothing arrived from this model."}</p>
        )}
      </div>
      {column.status === "error" ? (
        <footer className="flex items-start gap-3 border-t border-red-100 bg-red-50/60 px-4 py-2 text-sm">
          <p role="alert" className="flex-1 text-red-800" data-testid={`error-${side}`}>
            {column.error}
          </p>
          <Button onClick={onRetry} data-testid={`retry-${side}`}>
            Retry <Kbd>R</Kbd>
          </Button>
        </footer>
      ) : (
        <footer className="border-t border-stone-100 px-4 py-2 text-sm text-stone-600">
          {column.status === "done" ? "Waiting for the other response." : "Safety labels once both responses are complete."}
        </footer>
      )}
    </article>
  );
}
