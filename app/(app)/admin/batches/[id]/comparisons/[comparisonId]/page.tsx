import { notFound } from "next/navigation";
import Link from "next/link";
import { currentUser } from "@/server/auth/current-user";
import { hasPermission } from "@/server/auth/permissions";
import { getComparisonPreview } from "@/server/batches/queries";
import { AppError } from "@/server/errors";
import { ComparisonPreview } from "@/components/batches/comparison-preview";
import { Forbidden } from "@/components/ui/forbidden";

export const dynamic = "force-dynamic";

export default async function ComparisonPreviewPage({ params }: { params: Promise<{ id: string; comparisonId: string }> }) {
  const actor = await currentUser();
  if (!actor || !hasPermission(actor, "batches.write")) return <Forbidden what="Only admins manage batches." />;
  const { id, comparisonId } = await params;
  let preview;
  try {
    preview = await getComparisonPreview(actor, id, comparisonId);
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  }
  return (
    <div className="mx-auto max-w-7xl px-4 py-8 sm:px-6">
      <Link href={`/admin/batches/${id}#items`} className="text-sm text-stone-500 hover:text-stone-800">
        ← {preview.batch.name}
      </Link>
      <div className="mt-2 rounded-md border border-sky-200 bg-sky-50 px-4 py-2 text-sm text-sky-900">
        Read-only preview of what an annotator sees. Responses are in stored order here; each annotator gets them in a random
        left/right order. The model names under each response are shown to admins only.
      </div>
      <div className="mt-4">
        <ComparisonPreview preview={preview} />
      </div>
    </div>
  );
}
