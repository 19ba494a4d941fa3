// The batches list: status, focus, overlap, size, progress and who is working on it, at a glance.
import Link from "next/link";
import type { BatchSummary } from "@/server/batches/queries";
import { DataTable, EmptyState, Td, Tr } from "@/components/ui/table";
import { StatusBadge } from "./status-badge";

const COLUMNS = [
  { label: "Batch" },
  { label: "Status" },
  { label: "Focus" },
  { label: "Overlap", align: "right" },
  { label: "Comparisons", align: "right" },
  { label: "Judgements", align: "right" },
  { label: "Complete" },
  { label: "Active last hour", align: "right", title: "Distinct annotators with a judgement or a lease in the last hour" },
] as const;

export function BatchTable({ batches, hrefFor }: { batches: BatchSummary[]; hrefFor?: (id: string) => string }) {
  if (batches.length === 0) return <EmptyState>No batches yet. Create the first one with the form on this page.</EmptyState>;
  return (
    <DataTable columns={[...COLUMNS]} label="Batches">
      {batches.map((batch) => (
        <Tr key={batch.id}>
          <Td className="font-medium text-stone-900">
            {hrefFor ? (
              <Link href={hrefFor(batch.id)} className="underline decoration-stone-300 underline-offset-2 hover:text-teal-800">
                {batch.name}
              </Link>
            ) : (
              batch.name
            )}
          </Td>
          <Td>
            <StatusBadge status={batch.status} />
          </Td>
          <Td className="whitespace-nowrap text-stone-700">
            {batch.focus}
            {batch.promptSource === "annotator_written" && <span className="ml-1 text-xs text-stone-600">· written</span>}
          </Td>
          <Td align="right">{batch.overlap}</Td>
          <Td align="right">{batch.comparisons.toLocaleString("en")}</Td>
          <Td align="right">{batch.judgements.toLocaleString("en")}</Td>
          <Td>
            <div className="flex items-center gap-2">
              <div className="h-1.5 w-24 overflow-hidden rounded-full bg-stone-200">
                <div className="h-full bg-teal-600" style={{ width: `${batch.percentComplete}%` }} />
              </div>
              <span className="tabular-nums text-stone-700">{batch.percentComplete}%</span>
            </div>
          </Td>
          <Td align="right" data-testid={`active-annotators-${batch.id}`}>
            {batch.activeAnnotators}
          </Td>
        </Tr>
      ))}
    </DataTable>
  );
}
