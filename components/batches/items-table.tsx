// A batch's comparisons, paged, searchable by prompt text; each opens a read-only preview as annotators see it.
import Link from "next/link";
import type { BatchItemsPage } from "@/server/batches/queries";
import { Pager } from "@/components/ui/pager";
import { ATTACK_VECTOR_NAMES, RISK_CATEGORY_NAMES } from "./safety-taxonomy";

export function ItemsTable({ batchId, page, safety }: { batchId: string; page: BatchItemsPage; safety: boolean }) {
  const base = `/admin/batches/${batchId}`;
  const hrefFor = (n: number) => `${base}?${new URLSearchParams({ ...(page.q ? { q: page.q } : {}), page: String(n) })}#items`;
  return (
    <div data-testid="items">
      <form method="get" action={`${base}#items`} className="mb-3 flex flex-wrap items-center gap-2" role="search">
        <input
          name="q"
          defaultValue={page.q}
          placeholder="Search prompts…"
          aria-label="Search prompts"
          className="w-72 rounded-md border border-stone-300 bg-white px-3 py-1.5 text-sm"
        />
        <button type="submit" className="rounded-md border border-stone-300 bg-white px-3 py-1.5 text-sm font-medium text-stone-800 hover:bg-stone-50">
          Search
        </button>
        {page.q && (
          <Link href={`${base}#items`} className="text-sm text-stone-500 hover:text-stone-800">
            Clear
          </Link>
        )}
      </form>
      {page.items.length === 0 ? (
        <p className="rounded-lg border border-dashed border-stone-300 px-6 py-8 text-center text-sm text-stone-500">
          {page.q ? `No prompt contains “${page.q}”.` : "No comparisons yet: import a file above."}
        </p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-stone-200 bg-white">
          <table className="w-full border-collapse text-sm">
            <thead>
              <tr className="border-b border-stone-200 text-left text-xs uppercase tracking-wide text-stone-500">
                <th className="px-3 py-2 text-right font-medium">#</th>
                <th className="px-3 py-2 font-medium">Prompt</th>
                <th className="px-3 py-2 text-right font-medium">Turn</th>
                {safety && <th className="px-3 py-2 font-medium">Risk · attack</th>}
                <th className="px-3 py-2 text-right font-medium">Responses</th>
                <th className="px-3 py-2 text-right font-medium">Judgements</th>
                <th className="px-3 py-2" />
              </tr>
            </thead>
            <tbody>
              {page.items.map((item) => (
                <tr key={item.id} className="border-b border-stone-100 last:border-0" data-testid="item-row">
                  <td className="px-3 py-2 text-right tabular-nums text-stone-400">{item.seq}</td>
                  <td className="max-w-xl px-3 py-2 text-stone-800">
                    <p className="line-clamp-2">{item.prompt}</p>
                  </td>
                  <td className="px-3 py-2 text-right tabular-nums text-stone-600">{item.turnIndex}</td>
                  {safety && (
                    <td className="px-3 py-2 text-xs text-stone-600">
                      {item.riskCategory ? RISK_CATEGORY_NAMES[item.riskCategory] : "—"} · {item.attackVector ? ATTACK_VECTOR_NAMES[item.attackVector] : "—"}
                    </td>
                  )}
                  <td className={`px-3 py-2 text-right tabular-nums ${item.responses < 2 ? "text-amber-700" : "text-stone-600"}`}>{item.responses}/2</td>
                  <td className="px-3 py-2 text-right tabular-nums text-stone-600">{item.judgements}</td>
                  <td className="px-3 py-2 text-right">
                    <Link href={`${base}/comparisons/${item.id}`} className="text-teal-800 hover:underline">
                      Preview
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={page.page} pages={page.pages} total={page.total} noun={page.q ? ["matching comparison", "matching comparisons"] : ["comparison", "comparisons"]} hrefFor={hrefFor} />
    </div>
  );
}
