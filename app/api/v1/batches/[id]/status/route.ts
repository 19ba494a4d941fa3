import { apiRoute, readJsonBody } from "@/server/http/api-route";
import { setBatchStatus } from "@/server/batches/set-batch-status";

export const POST = apiRoute<{ id: string }>(async ({ request, actor, params }) => {
  return Response.json(await setBatchStatus(actor, params.id, await readJsonBody(request)));
});
