import { apiRoute, readJsonBody } from "@/server/http/api-route";
import { getModelVariant } from "@/server/model-variants/queries";
import { updateModelVariant } from "@/server/model-variants/update-model-variant";

export const GET = apiRoute<{ id: string }>(async ({ actor, params }) => {
  return Response.json(await getModelVariant(actor, params.id));
});

export const PATCH = apiRoute<{ id: string }>(async ({ request, actor, params }) => {
  return Response.json(await updateModelVariant(actor, params.id, await readJsonBody(request)));
});
