"use client";
// The guidelines editor: markdown on the left, the preview annotators will see on the right, live. Saving makes a
// new version; the versions before it stay as they were, with the judgements made under them.
import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import type { ActionResult } from "@/server/action-result";
import { MarkdownView } from "@/components/markdown/markdown-view";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";

export function GuidelinesEditor(props: {
  batchId: string;
  version: number;
  markdown: string;
  readOnly: boolean;
  save: (batchId: string, input: unknown) => Promise<ActionResult<{ version: number; created: boolean }>>;
}) {
  const router = useRouter();
  const [text, setText] = useState(props.markdown);
  const [pending, startTransition] = useTransition();
  const [notice, setNotice] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  const changed = text !== props.markdown;

  function save() {
    startTransition(async () => {
      const result = await props.save(props.batchId, { markdown: text });
      if (!result.ok) {
        setNotice({ tone: "error", text: result.error.message });
        return;
      }
      setNotice({
        tone: "success",
        text: result.value.created ? `Saved as version ${result.value.version}.` : "No change: the text is the same as the current version.",
      });
      router.refresh();
    });
  }

  return (
    <div className="rounded-lg border border-stone-200 bg-white" data-testid="guidelines-editor">
      <div className="grid md:grid-cols-2">
        <label className="flex flex-col border-b border-stone-100 p-4 text-sm font-medium text-stone-700 md:border-b-0 md:border-r">
          Markdown
          <textarea
            value={text}
            onChange={(event) => setText(event.target.value)}
            readOnly={props.readOnly}
            rows={14}
            maxLength={200_000}
            aria-label="Guidelines markdown"
            className="mt-1 w-full flex-1 rounded-md border border-stone-300 px-3 py-2 font-mono text-[13px] font-normal leading-relaxed"
          />
        </label>
        <div className="p-4">
          <div className="text-sm font-medium text-stone-700">Preview (as annotators see it)</div>
          <div
            className="mt-1 max-h-[22rem] overflow-y-auto rounded-md border border-dashed border-stone-200 px-4 py-3"
            data-testid="guidelines-preview"
          >
            {text.trim() ? (
              <MarkdownView>{text}</MarkdownView>
            ) : (
              <p className="text-sm text-stone-600">Type the guidelines on the left: they show here as annotators will see them.</p>
            )}
          </div>
        </div>
      </div>
      {!props.readOnly && (
        <div className="flex flex-wrap items-center gap-3 border-t border-stone-100 px-4 py-3">
          <Button variant="primary" onClick={save} disabled={pending || !changed} data-testid="save-guidelines">
            {pending ? "Saving…" : `Save as version ${props.version + 1}`}
          </Button>
          {changed && (
            <Button variant="quiet" onClick={() => setText(props.markdown)} disabled={pending}>
              Discard changes
            </Button>
          )}
          <span className="text-xs text-stone-600">
            Annotators get the new version with their next task; a task already open keeps the version it was claimed under.
          </span>
          {notice && (
            <Notice tone={notice.tone} testId="guidelines-notice">
              {notice.text}
            </Notice>
          )}
        </div>
      )}
    </div>
  );
}
