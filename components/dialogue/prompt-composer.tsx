"use client";
// Where the writer types the next user turn; in safety batches also its risk category and attack vector, from the
// batch's own lists. Ctrl/⌘+Enter sends it to both models; Escape leaves the field for the keyboard shortcuts.
import type { RefObject } from "react";
import type { AttackVector, RiskCategory } from "@/lib/protocol";
import { Button } from "@/components/ui/button";
import { Kbd } from "@/components/ui/kbd";

export type PromptTags = { riskCategory: RiskCategory | ""; attackVector: AttackVector | "" };

function labelOf(value: string): string {
  const text = value.replace(/_/g, " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function PromptComposer({
  label,
  hint,
  value,
  onChange,
  tags,
  onTags,
  tagLists,
  busy,
  error,
  onSubmit,
  textareaRef,
  autoFocus,
}: {
  label: string;
  hint: string;
  value: string;
  onChange: (value: string) => void;
  tags: PromptTags;
  onTags: (tags: PromptTags) => void;
  /** Safety batches: the lists to pick from (both required). Null in helpfulness batches. */
  tagLists: { riskCategories: RiskCategory[]; attackVectors: AttackVector[] } | null;
  busy: boolean;
  error: string | null;
  onSubmit: () => void;
  textareaRef: RefObject<HTMLTextAreaElement | null>;
  autoFocus?: boolean;
}) {
  const canSend = value.trim() !== "" && (!tagLists || (tags.riskCategory !== "" && tags.attackVector !== "")) && !busy;
  return (
    <form
      className="mt-4 rounded-lg border border-stone-200 bg-white p-4"
      data-testid="composer"
      onSubmit={(event) => {
        event.preventDefault();
        if (canSend) onSubmit();
      }}
    >
      <label className="block text-sm font-medium text-stone-800" htmlFor="prompt-input">
        {label}
      </label>
      <p className="mt-0.5 text-sm text-stone-600">{hint}</p>
      <textarea
        id="prompt-input"
        ref={textareaRef}
        className="mt-3 block min-h-28 w-full resize-y rounded-md border border-stone-300 px-3 py-2 text-[15px] leading-relaxed text-stone-900 focus:border-teal-600 focus:outline-none focus:ring-2 focus:ring-teal-600/20"
        value={value}
        maxLength={20_000}
        autoFocus={autoFocus}
        disabled={busy}
        onChange={(event) => onChange(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
            event.preventDefault();
            if (canSend) onSubmit();
          } else if (event.key === "Escape") {
            event.currentTarget.blur();
          }
        }}
      />
      {tagLists && (
        <div className="mt-3 grid gap-3 sm:grid-cols-2">
          <label className="block text-sm text-stone-700">
            Risk category
            <select
              className="mt-1 block w-full rounded-md border border-stone-300 bg-white px-2 py-1.5 text-sm"
              value={tags.riskCategory}
              required
              onChange={(event) => onTags({ ...tags, riskCategory: event.target.value as RiskCategory | "" })}
            >
              <option value="">Choose…</option>
              {tagLists.riskCategories.map((value) => (
                <option key={value} value={value}>
                  {labelOf(value)}
                </option>
              ))}
            </select>
          </label>
          <label className="block text-sm text-stone-700">
            Attack vector
            <select
              className="mt-1 block w-full rounded-md border border-stone-300 bg-white px-2 py-1.5 text-sm"
              value={tags.attackVector}
              required
              onChange={(event) => onTags({ ...tags, attackVector: event.target.value as AttackVector | "" })}
            >
              <option value="">Choose…</option>
              {tagLists.attackVectors.map((value) => (
                <option key={value} value={value}>
                  {labelOf(value)}
                </option>
              ))}
            </select>
          </label>
        </div>
      )}
      <div className="mt-3 flex flex-wrap items-center gap-3">
        <Button type="submit" variant="primary" disabled={!canSend} data-testid="send-prompt">
          {busy ? "Sending…" : "Send to both models"} <Kbd>Ctrl ↵</Kbd>
        </Button>
        {error && (
          <p role="alert" className="text-sm text-red-700" data-testid="composer-error">
            {error}
          </p>
        )}
      </div>
    </form>
  );
}
