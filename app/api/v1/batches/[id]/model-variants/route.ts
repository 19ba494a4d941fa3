import { apiRoute, readJsonBody } from "@/server/http/api-route";
import { setBatchModelVariants } from "@/server/batches/set-batch-model-variants";

export const PUT = apiRoute<{ id: string }>(async ({ request, actor, params }) => {
  return Response.json(await setBatchModelVariants(actor, params.id, await readJsonBody(request)));
});
