// Pieces of the writing page: its heading line, the response a dialogue continues with, and the ways to end it.
import Link from "next/link";
import type { WritingDesk } from "@/server/dialogues/queries";
import { DEGREE_LABELS, type Degree } from "@/lib/protocol";
import { MarkdownView } from "@/components/markdown/markdown-view";
import { Button } from "@/components/ui/button";
import { Kbd } from "@/components/ui/kbd";
import { KEYS } from "@/components/judging/keymap";

/** `turnIndex`: the turn being judged or written now (0-based), null before the first. Shown from 1. */
export function WriterHeader({ batch, turnIndex, lastTurn }: { batch: WritingDesk["batch"]; turnIndex: number | null; lastTurn: boolean }) {
  return (
    <div className="flex flex-wrap items-center gap-x-4 gap-y-1 text-sm text-stone-700">
      <h1 className="text-base font-semibold text-stone-900">{batch.name}</h1>
      <span className="rounded-full bg-stone-100 px-2 py-0.5 text-xs uppercase tracking-wide text-stone-700">{batch.focus}</span>
      {turnIndex !== null && (
        <span data-testid="turn-label">
          Turn {turnIndex + 1} of {batch.maxTurns}
          {lastTurn && <span className="text-amber-800"> · last turn</span>}
        </span>
      )}
      <Link href="/annotate/write" className="ml-auto text-stone-700 underline underline-offset-2 hover:text-stone-900">
        All writing batches
      </Link>
    </div>
  );
}

/** The response the dialogue continues with, shown as the assistant's turn. */
export function ChosenResponse({ name, degree, content }: { name: string; degree: Degree; content: string }) {
  return (
    <section
      className="mt-3 rounded-lg border border-teal-600/40 bg-white px-4 py-3 text-[15px] leading-relaxed text-stone-800"
      data-testid="chosen-response"
    >
      <div className="mb-1 text-xs font-medium uppercase tracking-wide text-teal-800">
        Assistant · response {name}, chosen ({DEGREE_LABELS[degree].toLowerCase()})
      </div>
      <MarkdownView>{content}</MarkdownView>
    </section>
  );
}

export function SkippedTurn({ onEnd, busy }: { onEnd: () => void; busy: boolean }) {
  return (
    <div className="mt-4 rounded-lg border border-stone-200 bg-white p-4 text-sm text-stone-700">
      This turn was skipped, so the dialogue cannot continue from it.
      <Button className="ml-3" onClick={onEnd} disabled={busy}>
        End dialogue <Kbd>{KEYS.end}</Kbd>
      </Button>
    </div>
  );
}

export function LastTurn({ maxTurns, busy, onEnd }: { maxTurns: number; busy: boolean; onEnd: () => void }) {
  return (
    <div className="mt-4 rounded-lg border border-stone-200 bg-white p-4" data-testid="last-turn">
      <p className="text-[15px] text-stone-800">
        That was the last turn this batch allows ({maxTurns} of {maxTurns}). End the dialogue to save it.
      </p>
      <Button className="mt-3" variant="primary" onClick={onEnd} disabled={busy} data-testid="end-dialogue">
        End dialogue <Kbd>{KEYS.submit}</Kbd>
      </Button>
    </div>
  );
}

export function EndDialogueButton({ busy, onEnd }: { busy: boolean; onEnd: () => void }) {
  return (
    <div className="mt-3 flex justify-end">
      <Button variant="quiet" onClick={onEnd} disabled={busy} data-testid="end-dialogue">
        End dialogue <Kbd>{KEYS.end}</Kbd>
      </Button>
    </div>
  );
}
