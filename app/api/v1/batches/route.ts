import { apiRoute, readJsonBody } from "@/server/http/api-route";
import { createBatch } from "@/server/batches/create-batch";

export const POST = apiRoute(async ({ request, actor }) => {
  const batch = await createBatch(actor, await readJsonBody(request));
  return Response.json(batch, { status: 201 });
});
