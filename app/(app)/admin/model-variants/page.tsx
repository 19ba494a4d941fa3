import { currentUser } from "@/server/auth/current-user";
import { hasPermission } from "@/server/auth/permissions";
import { listModelVariants } from "@/server/model-variants/queries";
import { createModelVariantAction, testModelVariantAction, updateModelVariantAction } from "@/server/model-variants/actions";
import { ModelVariantTable } from "@/components/model-variants/model-variant-table";
import { ModelVariantForm } from "@/components/model-variants/model-variant-form";
import { Forbidden } from "@/components/ui/forbidden";

export const dynamic = "force-dynamic";

export default async function ModelVariantsPage() {
  const actor = await currentUser();
  if (!actor || !hasPermission(actor, "model-variants.write")) return <Forbidden what="Only admins manage model variants." />;
  const variants = await listModelVariants(actor);
  return (
    <div className="mx-auto max-w-7xl space-y-8 px-4 py-8 sm:px-6">
      <section>
        <h1 className="text-lg font-semibold text-stone-900">Model variants</h1>
        <p className="mb-4 mt-1 text-sm text-stone-600">
          The models that answer prompts, each behind an OpenAI-compatible endpoint (vLLM, Ollama, TGI, llama.cpp, OpenAI). API keys stay in
          environment variables of the Pairwise server: only the variable&apos;s name is stored, and this page only says whether it is set.
        </p>
        <ModelVariantTable variants={variants} actions={{ update: updateModelVariantAction, test: testModelVariantAction }} />
      </section>
      <section>
        <h2 className="mb-3 text-base font-semibold text-stone-900">Register a model variant</h2>
        <div className="rounded-lg border border-stone-200 bg-white p-5">
          <ModelVariantForm submit={createModelVariantAction} />
        </div>
      </section>
    </div>
  );
}
