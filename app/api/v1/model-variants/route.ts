import { apiRoute, readJsonBody } from "@/server/http/api-route";
import { createModelVariant } from "@/server/model-variants/create-model-variant";
import { listModelVariants } from "@/server/model-variants/queries";

export const GET = apiRoute(async ({ actor }) => {
  return Response.json({ modelVariants: await listModelVariants(actor) });
});

export const POST = apiRoute(async ({ request, actor }) => {
  return Response.json(await createModelVariant(actor, await readJsonBody(request)), { status: 201 });
});
