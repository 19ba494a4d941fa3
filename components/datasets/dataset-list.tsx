// Saved datasets, newest first, each downloadable as its format's file or as a Hugging Face bundle, with its manifest.
import { EmptyState } from "@/components/ui/table";
import type { DatasetSummary } from "@/server/datasets/queries";

export function DatasetList({ datasets }: { datasets: DatasetSummary[] }) {
  if (datasets.length === 0) {
    return <EmptyState>No saved datasets yet. Choose what goes in above, then save it: it downloads to the same bytes later.</EmptyState>;
  }
  return (
    <ul className="divide-y divide-stone-100 rounded-lg border border-stone-200 bg-white" data-testid="dataset-list">
      {datasets.map((d) => (
        <li key={d.id} className="flex flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3 text-sm">
          <span className="font-medium text-stone-900">{d.name}</span>
          <span className="text-stone-600">{d.format}</span>
          <span className="tabular-nums text-stone-600">{d.rows.toLocaleString("en")} rows</span>
          <span className="text-stone-600">judgements up to {d.cutoff.slice(0, 16).replace("T", " ")} UTC</span>
          <span className="ml-auto flex gap-2">
            <a
              className="rounded-md border border-stone-300 px-2.5 py-1 hover:bg-stone-50"
              href={`/api/v1/datasets/${d.id}/download?file=jsonl`}
              download
              data-testid={`dataset-jsonl-${d.name}`}
            >
              {d.format === "arena" ? "JSON" : "JSONL"}
            </a>
            <a
              className="rounded-md border border-stone-300 px-2.5 py-1 hover:bg-stone-50"
              href={`/api/v1/datasets/${d.id}/download?file=bundle`}
              download
              data-testid={`dataset-bundle-${d.name}`}
            >
              Hugging Face bundle
            </a>
            <a
              className="rounded-md border border-stone-300 px-2.5 py-1 hover:bg-stone-50"
              href={`/api/v1/datasets/${d.id}/manifest`}
              target="_blank"
              rel="noreferrer"
            >
              Manifest
            </a>
          </span>
        </li>
      ))}
    </ul>
  );
}
