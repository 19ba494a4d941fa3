import { apiRoute } from "@/server/http/api-route";
import { testModelVariant } from "@/server/model-variants/test-model-variant";

export const POST = apiRoute<{ id: string }>(async ({ actor, params }) => {
  return Response.json(await testModelVariant(actor, params.id));
});
