"use client";
// One figure of the insights page: its title, what it shows, a CSV download of exactly the figures drawn, and the
// chart, or an empty state that says why there is nothing to draw.
import { toCsv, type CsvCell } from "@/lib/csv-write";
import { EmptyState } from "@/components/ui/table";

export type CsvData = { filename: string; header: string[]; rows: CsvCell[][] };

function download(csv: CsvData) {
  const url = URL.createObjectURL(new Blob([toCsv(csv.header, csv.rows)], { type: "text/csv;charset=utf-8" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = csv.filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function ChartCard({
  id,
  title,
  description,
  csv,
  empty,
  children,
}: {
  id: string;
  title: string;
  description: React.ReactNode;
  csv: CsvData;
  /** Shown instead of the chart when there is nothing to draw. */
  empty: string | null;
  children: React.ReactNode;
}) {
  return (
    <section className="min-w-0 rounded-lg border border-stone-200 bg-white p-4" data-testid={`chart-${id}`} aria-labelledby={`chart-${id}-title`}>
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <h2 id={`chart-${id}-title`} className="text-base font-semibold text-stone-900">
            {title}
          </h2>
          <p className="mt-0.5 text-sm text-stone-600">{description}</p>
        </div>
        <button
          type="button"
          onClick={() => download(csv)}
          disabled={empty !== null}
          className="shrink-0 rounded-md border border-stone-300 bg-white px-2.5 py-1 text-sm font-medium text-stone-800 hover:bg-stone-50 disabled:cursor-not-allowed disabled:text-stone-500"
          data-testid={`csv-${id}`}
        >
          CSV<span className="sr-only"> of {title.toLowerCase()}</span>
        </button>
      </div>
      <div className="mt-3">{empty !== null ? <EmptyState testId={`empty-${id}`}>{empty}</EmptyState> : children}</div>
    </section>
  );
}
