// The batches list: status, focus, overlap, size, progress and who is working on it, at a glance.
import Link from "next/link";
import type { BatchSummary } from "@/server/batches/queries";
import { StatusBadge } from "./status-badge";

export function BatchTable({ batches, hrefFor }: { batches: BatchSummary[]; hrefFor?: (id: string) => string }) {
  if (batches.length === 0) {
    return <p className="rounded-lg border border-dashed border-stone-300 px-6 py-10 text-center text-stone-500">No batches yet.</p>;
  }
  return (
    <table className="w-full border-collapse text-sm">
      <thead>
        <tr className="border-b border-stone-200 text-left text-xs uppercase tracking-wide text-stone-500">
          <th className="py-2 pr-4 font-medium">Batch</th>
          <th className="py-2 pr-4 font-medium">Status</th>
          <th className="py-2 pr-4 font-medium">Focus</th>
          <th className="py-2 pr-4 text-right font-medium">Overlap</th>
          <th className="py-2 pr-4 text-right font-medium">Comparisons</th>
          <th className="py-2 pr-4 text-right font-medium">Judgements</th>
          <th className="py-2 pr-4 font-medium">Complete</th>
          <th className="py-2 text-right font-medium" title="Distinct annotators with a judgement or a lease in the last hour">
            Active last hour
          </th>
        </tr>
      </thead>
      <tbody>
        {batches.map((batch) => (
          <tr key={batch.id} className="border-b border-stone-100">
            <td className="py-2.5 pr-4 font-medium text-stone-900">
              {hrefFor ? (
                <Link href={hrefFor(batch.id)} className="hover:text-teal-800 hover:underline">
                  {batch.name}
                </Link>
              ) : (
                batch.name
              )}
            </td>
            <td className="py-2.5 pr-4">
              <StatusBadge status={batch.status} />
            </td>
            <td className="py-2.5 pr-4 text-stone-600">
              {batch.focus}
              {batch.promptSource === "annotator_written" && <span className="ml-1 text-xs text-stone-400">· written</span>}
            </td>
            <td className="py-2.5 pr-4 text-right tabular-nums">{batch.overlap}</td>
            <td className="py-2.5 pr-4 text-right tabular-nums">{batch.comparisons.toLocaleString("en")}</td>
            <td className="py-2.5 pr-4 text-right tabular-nums">{batch.judgements.toLocaleString("en")}</td>
            <td className="py-2.5 pr-4">
              <div className="flex items-center gap-2">
                <div className="h-1.5 w-24 overflow-hidden rounded-full bg-stone-100">
                  <div className="h-full bg-teal-600" style={{ width: `${batch.percentComplete}%` }} />
                </div>
                <span className="tabular-nums text-stone-600">{batch.percentComplete}%</span>
              </div>
            </td>
            <td className="py-2.5 text-right tabular-nums" data-testid={`active-annotators-${batch.id}`}>
              {batch.activeAnnotators}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
