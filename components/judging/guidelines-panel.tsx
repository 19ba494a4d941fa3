"use client";
// The batch's guidelines, folded away until asked for (G), above the comparison being judged.
import { MarkdownView } from "@/components/markdown/markdown-view";
import { Kbd } from "@/components/ui/kbd";
import { KEYS } from "./keymap";

export function GuidelinesPanel({
  guidelines,
  open,
  onOpenChange,
}: {
  guidelines: { version: number; markdown: string };
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  return (
    <details
      className="mt-3 rounded-lg border border-stone-200 bg-white"
      open={open}
      onToggle={(event) => onOpenChange((event.target as HTMLDetailsElement).open)}
    >
      <summary className="flex cursor-pointer items-center justify-between px-4 py-2 text-sm font-medium text-stone-800">
        <span>
          Guidelines <span className="font-normal text-stone-600">v{guidelines.version}</span>
        </span>
        <Kbd>{KEYS.guidelines}</Kbd>
      </summary>
      <div className="max-h-96 overflow-y-auto border-t border-stone-100 px-4 py-3">
        {guidelines.markdown.trim() ? (
          <MarkdownView>{guidelines.markdown}</MarkdownView>
        ) : (
          <p className="text-sm text-stone-600">This batch has no guidelines yet.</p>
        )}
      </div>
    </details>
  );
}
