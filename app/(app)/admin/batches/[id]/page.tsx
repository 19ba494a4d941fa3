import Link from "next/link";
import { currentUser } from "@/server/auth/current-user";
import { hasPermission } from "@/server/auth/permissions";
import { getBatch, listBatchItems } from "@/server/batches/queries";
import { getGenerationStatus } from "@/server/generation/queries";
import { listModelVariants } from "@/server/model-variants/queries";
import { saveGuidelinesAction, setBatchModelVariantsAction, setBatchStatusAction, updateBatchAction } from "@/server/batches/actions";
import { retryFailedGenerationAction, startGenerationAction } from "@/server/generation/actions";
import { ImportForm } from "@/components/batches/import-form";
import { StatusControls } from "@/components/batches/status-controls";
import { StatusBadge } from "@/components/batches/status-badge";
import { GuidelinesEditor } from "@/components/batches/guidelines-editor";
import { GuidelineHistory } from "@/components/batches/guideline-history";
import { ItemsTable } from "@/components/batches/items-table";
import { ModelVariantPicker } from "@/components/batches/model-variant-picker";
import { GenerationPanel } from "@/components/batches/generation-panel";
import { BatchSettingsForm } from "@/components/batches/batch-settings-form";
import { BatchHistory } from "@/components/batches/batch-history";
import { Forbidden } from "@/components/ui/forbidden";
import { orNotFound } from "@/app/(app)/page-guards";

export const dynamic = "force-dynamic";

const SECTIONS = [
  ["items", "Items"],
  ["sampling", "Model variants"],
  ["guidelines", "Guidelines"],
  ["settings", "Settings"],
  ["history", "History"],
] as const;

export default async function BatchPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ q?: string; page?: string }>;
}) {
  const actor = await currentUser();
  if (!actor || !hasPermission(actor, "batches.write")) return <Forbidden what="Only admins manage batches." />;
  const { id } = await params;
  const { q, page } = await searchParams;
  const batch = await orNotFound(getBatch(actor, id));
  const [items, generation, variants] = await Promise.all([
    listBatchItems(actor, id, { q, page }),
    getGenerationStatus(actor, id),
    listModelVariants(actor),
  ]);
  const closed = batch.status === "closed";
  const imported = batch.promptSource === "imported";
  return (
    <div className="mx-auto max-w-7xl space-y-10 px-4 py-8 sm:px-6">
      <div>
        <Link href="/admin/batches" className="text-sm text-stone-600 hover:text-stone-800">
          ← Batches
        </Link>
        <div className="mt-2 flex flex-wrap items-center gap-3">
          <h1 className="text-lg font-semibold text-stone-900">{batch.name}</h1>
          <StatusBadge status={batch.status} />
        </div>
        <dl className="mt-3 flex flex-wrap gap-x-8 gap-y-1 text-sm text-stone-600">
          <div>
            <dt className="inline">Focus</dt> <dd className="inline font-medium text-stone-900">{batch.focus}</dd>
          </div>
          <div>
            <dt className="inline">Prompts</dt>{" "}
            <dd className="inline font-medium text-stone-900">{imported ? "imported" : `written by annotators, up to ${batch.maxTurns} turns`}</dd>
          </div>
          <div>
            <dt className="inline">Overlap</dt> <dd className="inline font-medium text-stone-900">{batch.overlap}</dd>
          </div>
          <div>
            <dt className="inline">Safety labels</dt>{" "}
            <dd className="inline font-medium text-stone-900">{batch.requireSafety ? "required" : "optional"}</dd>
          </div>
          <div>
            <dt className="inline">Comparisons</dt>{" "}
            <dd className="inline font-medium tabular-nums text-stone-900" data-testid="comparison-count">
              {batch.comparisons}
            </dd>
          </div>
          <div>
            <dt className="inline">Judgements</dt> <dd className="inline font-medium tabular-nums text-stone-900">{batch.judgements}</dd>
          </div>
          <div>
            <dt className="inline">Complete</dt> <dd className="inline font-medium tabular-nums text-stone-900">{batch.percentComplete}%</dd>
          </div>
          <div>
            <dt className="inline">Annotators in the last hour</dt>{" "}
            <dd className="inline font-medium tabular-nums text-stone-900">{batch.activeAnnotators}</dd>
          </div>
        </dl>
        <div className="mt-4">
          {/* Keyed by size: an import or a finished generation clears a stale "import first" error. */}
          <StatusControls
            key={`${batch.comparisons}-${batch.lackingResponses}`}
            batchId={batch.id}
            status={batch.status}
            setStatus={setBatchStatusAction}
          />
        </div>
        <nav className="mt-6 flex flex-wrap gap-1 border-b border-stone-200 text-sm" aria-label="Sections">
          {SECTIONS.map(([anchor, label]) => (
            <a
              key={anchor}
              href={`#${anchor}`}
              className="-mb-px border-b-2 border-transparent px-3 py-2 text-stone-600 hover:border-stone-300 hover:text-stone-900"
            >
              {label}
            </a>
          ))}
        </nav>
      </div>

      {imported && !closed && (
        <section>
          <h2 className="mb-1 text-base font-semibold text-stone-900">Import comparisons</h2>
          <p className="mb-3 text-sm text-stone-600">
            Whole comparisons (pairwise, hh-rlhf), or prompts only (prompts, prompts-csv) whose two responses are then generated below.
          </p>
          <ImportForm batchId={batch.id} />
        </section>
      )}

      <section id="items" className="scroll-mt-4">
        <h2 className="mb-3 text-base font-semibold text-stone-900">Items</h2>
        <ItemsTable batchId={batch.id} page={items} safety={batch.focus === "safety"} written={batch.promptSource === "annotator_written"} />
      </section>

      <section id="sampling" className="scroll-mt-4 space-y-4">
        <div>
          <h2 className="text-base font-semibold text-stone-900">Model variants</h2>
          <p className="mt-1 text-sm text-stone-600">
            {imported
              ? "For prompts without responses: each prompt is answered by two different variants, each at a temperature from its range."
              : "Annotators' prompts are answered live by two different variants of these."}
          </p>
        </div>
        <ModelVariantPicker
          batchId={batch.id}
          variants={variants.map((v) => ({ id: v.id, name: v.name, version: v.version, modelId: v.modelId, active: v.active, live: v.live }))}
          selected={batch.modelVariants.map((v) => v.id)}
          readOnly={closed}
          save={setBatchModelVariantsAction}
        />
        {imported && (generation.lackingResponses > 0 || generation.job) && (
          <div>
            <h3 className="mb-2 text-sm font-semibold text-stone-900">Generation</h3>
            <GenerationPanel
              batchId={batch.id}
              batchStatus={batch.status}
              initial={generation}
              readOnly={closed}
              start={startGenerationAction}
              retry={retryFailedGenerationAction}
            />
          </div>
        )}
      </section>

      <section id="guidelines" className="scroll-mt-4 space-y-4">
        <h2 className="text-base font-semibold text-stone-900">
          Guidelines{" "}
          <span className="text-sm font-normal text-stone-600" data-testid="guidelines-version">
            v{batch.guidelines.version}
          </span>
        </h2>
        <GuidelinesEditor
          batchId={batch.id}
          version={batch.guidelines.version}
          markdown={batch.guidelines.markdown}
          readOnly={closed}
          save={saveGuidelinesAction}
        />
        <GuidelineHistory versions={batch.guidelineVersions} />
      </section>

      <section id="settings" className="scroll-mt-4">
        <h2 className="mb-3 text-base font-semibold text-stone-900">Settings</h2>
        <BatchSettingsForm
          key={`${batch.name}|${batch.riskCategories.join()}|${batch.attackVectors.join()}`}
          batchId={batch.id}
          name={batch.name}
          focus={batch.focus}
          lists={{ riskCategories: batch.riskCategories, attackVectors: batch.attackVectors }}
          readOnly={closed}
          save={updateBatchAction}
        />
      </section>

      <section id="history" className="scroll-mt-4">
        <h2 className="mb-3 text-base font-semibold text-stone-900">History</h2>
        <BatchHistory imports={batch.imports} generationJobs={batch.generationJobs} />
        <p className="mt-3 text-sm">
          <Link className="text-teal-800 hover:underline" href={`/admin/audit?${new URLSearchParams({ entityType: "batch", entityId: batch.id })}`}>
            Every change to this batch in the audit log →
          </Link>
        </p>
      </section>
    </div>
  );
}
