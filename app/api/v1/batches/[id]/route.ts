import { apiRoute, readJsonBody } from "@/server/http/api-route";
import { getBatch } from "@/server/batches/queries";
import { updateBatch } from "@/server/batches/update-batch";

export const GET = apiRoute<{ id: string }>(async ({ actor, params }) => {
  return Response.json(await getBatch(actor, params.id));
});

export const PATCH = apiRoute<{ id: string }>(async ({ request, actor, params }) => {
  return Response.json(await updateBatch(actor, params.id, await readJsonBody(request)));
});
