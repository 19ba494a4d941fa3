import { apiRoute, readJsonBody } from "@/server/http/api-route";
import { createBatch } from "@/server/batches/create-batch";
import { listBatches } from "@/server/batches/queries";

export const GET = apiRoute(async ({ actor }) => {
  return Response.json({ batches: await listBatches(actor) });
});

export const POST = apiRoute(async ({ request, actor }) => {
  const batch = await createBatch(actor, await readJsonBody(request));
  return Response.json(batch, { status: 201 });
});
