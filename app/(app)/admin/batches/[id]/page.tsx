import Link from "next/link";
import { currentUser } from "@/server/auth/current-user";
import { hasPermission } from "@/server/auth/permissions";
import { getBatch } from "@/server/batches/queries";
import { setBatchStatusAction } from "@/server/batches/actions";
import { AppError } from "@/server/errors";
import { ImportForm } from "@/components/batches/import-form";
import { StatusControls } from "@/components/batches/status-controls";
import { StatusBadge } from "@/components/batches/status-badge";
import { MarkdownView } from "@/components/markdown/markdown-view";
import { Forbidden } from "@/components/ui/forbidden";

export const dynamic = "force-dynamic";

export default async function BatchPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await currentUser();
  if (!actor || !hasPermission(actor, "batches.write")) return <Forbidden what="Only admins manage batches." />;
  const { id } = await params;
  let batch;
  try {
    batch = await getBatch(actor, id);
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") return <Forbidden what={error.message} />;
    throw error;
  }
  return (
    <div className="mx-auto max-w-7xl space-y-8 px-4 py-8 sm:px-6">
      <div>
        <Link href="/admin/batches" className="text-sm text-stone-500 hover:text-stone-800">
          ← Batches
        </Link>
        <div className="mt-2 flex flex-wrap items-center gap-3">
          <h1 className="text-lg font-semibold text-stone-900">{batch.name}</h1>
          <StatusBadge status={batch.status} />
        </div>
        <dl className="mt-3 flex flex-wrap gap-x-8 gap-y-1 text-sm text-stone-600">
          <div>Focus <dd className="inline font-medium text-stone-900">{batch.focus}</dd></div>
          <div>Overlap <dd className="inline font-medium text-stone-900">{batch.overlap}</dd></div>
          <div>Safety labels <dd className="inline font-medium text-stone-900">{batch.requireSafety ? "required" : "optional"}</dd></div>
          <div>Comparisons <dd className="inline font-medium tabular-nums text-stone-900" data-testid="comparison-count">{batch.comparisons}</dd></div>
          <div>Judgements <dd className="inline font-medium tabular-nums text-stone-900">{batch.judgements}</dd></div>
          <div>Complete <dd className="inline font-medium tabular-nums text-stone-900">{batch.percentComplete}%</dd></div>
        </dl>
        <div className="mt-4">
          {/* Keyed by size: an import clears a stale "import first" error. */}
          <StatusControls key={batch.comparisons} batchId={batch.id} status={batch.status} setStatus={setBatchStatusAction} />
        </div>
      </div>

      {batch.status !== "closed" && (
        <section>
          <h2 className="mb-3 text-base font-semibold text-stone-900">Import comparisons</h2>
          <ImportForm batchId={batch.id} />
        </section>
      )}

      <section>
        <h2 className="mb-3 text-base font-semibold text-stone-900">Import history</h2>
        {batch.imports.length === 0 ? (
          <p className="text-sm text-stone-500">Nothing imported yet.</p>
        ) : (
          <ul className="space-y-1 text-sm text-stone-700">
            {batch.imports.map((i) => (
              <li key={i.id}>
                {i.createdAt.toISOString().slice(0, 16).replace("T", " ")} · {i.format} · {i.imported} imported of {i.lines} lines
                {i.duplicates > 0 && ` · ${i.duplicates} skipped`}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section>
        <h2 className="mb-3 text-base font-semibold text-stone-900">
          Guidelines <span className="text-sm font-normal text-stone-500">v{batch.guidelines.version}</span>
        </h2>
        <div className="rounded-lg border border-stone-200 bg-white p-5">
          {batch.guidelines.markdown.trim() ? <MarkdownView>{batch.guidelines.markdown}</MarkdownView> : <p className="text-sm text-stone-500">No guidelines yet.</p>}
        </div>
      </section>
    </div>
  );
}
