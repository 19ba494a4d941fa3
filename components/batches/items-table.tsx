// A batch's comparisons, paged, searchable by prompt text; each opens a read-only preview as annotators see it.
// Rows are numbered by their place in this list (1, 2, 3 … across pages), turns from 1, as everywhere else.
import Link from "next/link";
import type { BatchItemsPage } from "@/server/batches/queries";
import { Pager } from "@/components/ui/pager";
import { Button } from "@/components/ui/button";
import { TextInput } from "@/components/ui/field";
import { DataTable, EmptyState, Td, Tr } from "@/components/ui/table";
import { ATTACK_VECTOR_NAMES, RISK_CATEGORY_NAMES } from "./safety-taxonomy";

export function ItemsTable({ batchId, page, safety, written }: { batchId: string; page: BatchItemsPage; safety: boolean; written: boolean }) {
  const base = `/admin/batches/${batchId}`;
  const hrefFor = (n: number) => `${base}?${new URLSearchParams({ ...(page.q ? { q: page.q } : {}), page: String(n) })}#items`;
  const columns = [
    { label: "#", align: "right" as const },
    { label: "Prompt" },
    { label: "Turn", align: "right" as const },
    ...(safety ? [{ label: "Risk · attack" }] : []),
    { label: "Responses", align: "right" as const },
    { label: "Judgements", align: "right" as const },
    { label: <span className="sr-only">Preview</span> },
  ];
  return (
    <div data-testid="items">
      <form method="get" action={`${base}#items`} className="mb-3 flex flex-wrap items-center gap-2" role="search">
        <TextInput name="q" defaultValue={page.q} placeholder="Search prompts…" aria-label="Search prompts" className="!w-72 max-w-full" />
        <Button type="submit">Search</Button>
        {page.q && (
          <Link href={`${base}#items`} className="text-sm text-stone-700 underline underline-offset-2 hover:text-stone-900">
            Clear
          </Link>
        )}
      </form>
      {page.items.length === 0 ? (
        <EmptyState>
          {page.q
            ? `No prompt contains “${page.q}”.`
            : written
              ? "No comparisons yet: they appear here as annotators write prompts and judge the answers."
              : "No comparisons yet: import a file with the form above."}
        </EmptyState>
      ) : (
        <DataTable columns={columns} label="Comparisons">
          {page.items.map((item, index) => (
            <Tr key={item.id} data-testid="item-row">
              <Td align="right" className="text-stone-600">
                {(page.page - 1) * page.pageSize + index + 1}
              </Td>
              <Td className="max-w-xl text-stone-800">
                <p className="line-clamp-2">{item.prompt}</p>
              </Td>
              <Td align="right" className="text-stone-700">
                {item.turnIndex + 1}
              </Td>
              {safety && (
                <Td className="text-xs text-stone-700">
                  {item.riskCategory ? RISK_CATEGORY_NAMES[item.riskCategory] : "—"} ·{" "}
                  {item.attackVector ? ATTACK_VECTOR_NAMES[item.attackVector] : "—"}
                </Td>
              )}
              <Td align="right" className={item.responses < 2 ? "text-amber-800" : "text-stone-700"}>
                {item.responses}/2
              </Td>
              <Td align="right" className="text-stone-700">
                {item.judgements}
              </Td>
              <Td align="right">
                <Link href={`${base}/comparisons/${item.id}`} className="font-medium text-teal-800 underline underline-offset-2">
                  Preview
                </Link>
              </Td>
            </Tr>
          ))}
        </DataTable>
      )}
      <Pager
        page={page.page}
        pages={page.pages}
        total={page.total}
        noun={page.q ? ["matching comparison", "matching comparisons"] : ["comparison", "comparisons"]}
        hrefFor={hrefFor}
      />
    </div>
  );
}
