import Link from "next/link";
import { currentUser } from "@/server/auth/current-user";
import { hasPermission } from "@/server/auth/permissions";
import { getComparisonPreview } from "@/server/batches/queries";
import { ComparisonPreview } from "@/components/batches/comparison-preview";
import { Forbidden } from "@/components/ui/forbidden";
import { orNotFound } from "@/app/(app)/page-guards";

export const dynamic = "force-dynamic";

export default async function ComparisonPreviewPage({ params }: { params: Promise<{ id: string; comparisonId: string }> }) {
  const actor = await currentUser();
  if (!actor || !hasPermission(actor, "batches.write")) return <Forbidden what="Only admins manage batches." />;
  const { id, comparisonId } = await params;
  const preview = await orNotFound(getComparisonPreview(actor, id, comparisonId));
  return (
    <div className="mx-auto max-w-7xl px-4 py-8 sm:px-6">
      <Link href={`/admin/batches/${id}#items`} className="text-sm text-stone-700 underline underline-offset-2 hover:text-stone-900">
        ← {preview.batch.name}
      </Link>
      <h1 className="mt-2 text-lg font-semibold text-stone-900">Comparison preview</h1>
      <div className="mt-2 rounded-md border border-sky-200 bg-sky-50 px-4 py-2 text-sm text-sky-900">
        Read-only preview of what an annotator sees. Responses are in stored order here; each annotator gets them in a random left/right order. The
        model names under each response are shown to admins only.
      </div>
      <div className="mt-4">
        <ComparisonPreview preview={preview} />
      </div>
    </div>
  );
}
