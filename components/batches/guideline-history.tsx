// Every version of a batch's guidelines, newest first, with how many judgements were made under each.
import type { GuidelineVersionView } from "@/server/batches/queries";
import { MarkdownView } from "@/components/markdown/markdown-view";
import { formatUtcMinute } from "@/lib/format-time";

export function GuidelineHistory({ versions }: { versions: GuidelineVersionView[] }) {
  return (
    <div>
      <h3 className="mb-2 text-sm font-semibold text-stone-900">Version history</h3>
      <ul className="divide-y divide-stone-100 rounded-lg border border-stone-200 bg-white text-sm" data-testid="guideline-versions">
        {versions.map((v, index) => (
          <li key={v.id}>
            <details>
              <summary className="flex cursor-pointer flex-wrap items-center gap-x-4 px-4 py-2">
                <span className="font-medium text-stone-900">v{v.version}</span>
                {index === 0 && <span className="rounded-full bg-teal-50 px-2 py-0.5 text-xs text-teal-800">current</span>}
                <span className="text-stone-600">{formatUtcMinute(v.createdAt)}</span>
                <span className="tabular-nums text-stone-600">
                  {v.judgements.toLocaleString("en")} judgement{v.judgements === 1 ? "" : "s"}
                </span>
                <span className="ml-auto text-xs text-stone-600">{v.markdown.length.toLocaleString("en")} characters</span>
              </summary>
              <div className="border-t border-stone-100 px-4 py-3">
                {v.markdown.trim() ? <MarkdownView>{v.markdown}</MarkdownView> : <p className="text-stone-600">Empty.</p>}
              </div>
            </details>
          </li>
        ))}
      </ul>
    </div>
  );
}
