// A batch's imports and generation jobs, newest first.
import type { BatchDetail } from "@/server/batches/queries";
import { formatUtcMinute } from "@/lib/format-time";

export function BatchHistory({ imports, generationJobs }: Pick<BatchDetail, "imports" | "generationJobs">) {
  return (
    <div className="grid gap-6 md:grid-cols-2">
      <div>
        <h3 className="mb-2 text-sm font-semibold text-stone-900">Imports</h3>
        {imports.length === 0 ? (
          <p className="text-sm text-stone-600">Nothing imported yet.</p>
        ) : (
          <ul className="space-y-1 text-sm text-stone-700" data-testid="import-history">
            {imports.map((i) => (
              <li key={i.id}>
                {formatUtcMinute(i.createdAt)} · {i.format} · {i.imported.toLocaleString("en")} imported of {i.lines.toLocaleString("en")} line
                {i.lines === 1 ? "" : "s"}
                {i.duplicates > 0 && ` · ${i.duplicates} skipped`}
              </li>
            ))}
          </ul>
        )}
      </div>
      <div>
        <h3 className="mb-2 text-sm font-semibold text-stone-900">Generation jobs</h3>
        {generationJobs.length === 0 ? (
          <p className="text-sm text-stone-600">No generation yet.</p>
        ) : (
          <ul className="space-y-1 text-sm text-stone-700" data-testid="generation-history">
            {generationJobs.map((j) => (
              <li key={j.id}>
                {formatUtcMinute(j.createdAt)} · {j.status} · {j.done.toLocaleString("en")} done, {j.failed.toLocaleString("en")} failed of{" "}
                {j.total.toLocaleString("en")}
                {j.finishedAt && ` · finished ${formatUtcMinute(j.finishedAt).slice(11)}`}
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
