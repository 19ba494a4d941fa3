// The batches an annotator can write prompts in, each opening the writing page (and resuming an open dialogue).
import Link from "next/link";
import type { WritableBatch } from "@/server/dialogues/queries";

export function WritableBatchList({ batches }: { batches: WritableBatch[] }) {
  return (
    <div className="mx-auto max-w-3xl px-4 py-10 sm:px-6">
      <h1 className="text-lg font-semibold text-stone-900">Write prompts</h1>
      <p className="mt-2 text-[15px] leading-relaxed text-stone-600">
        You write a prompt, two models answer it side by side, and you choose the better answer; then you continue the conversation or end it. Pick a
        batch:
      </p>
      {batches.length === 0 ? (
        <p className="mt-6 rounded-lg border border-stone-200 bg-white px-4 py-6 text-center text-stone-600" data-testid="no-writable-batches">
          No batch asks for written prompts right now.{" "}
          <Link href="/annotate" className="text-teal-700 underline">
            Judge comparisons
          </Link>{" "}
          instead.
        </p>
      ) : (
        <ul className="mt-6 divide-y divide-stone-100 rounded-lg border border-stone-200 bg-white">
          {batches.map((batch) => (
            <li key={batch.id}>
              <Link
                href={`/annotate/write?batch=${encodeURIComponent(batch.id)}`}
                className="flex flex-wrap items-center gap-x-3 gap-y-1 px-4 py-3 hover:bg-stone-50"
                data-testid={`write-${batch.id}`}
              >
                <span className="font-medium text-stone-900">{batch.name}</span>
                <span className="rounded-full bg-stone-100 px-2 py-0.5 text-xs uppercase tracking-wide text-stone-600">{batch.focus}</span>
                <span className="text-sm text-stone-600">
                  up to {batch.maxTurns} turn{batch.maxTurns === 1 ? "" : "s"} · {batch.dialoguesWritten} dialogue
                  {batch.dialoguesWritten === 1 ? "" : "s"} written
                </span>
                <span className="ml-auto text-sm text-teal-700">{batch.openDialogueId ? "Resume your dialogue →" : "Write →"}</span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
