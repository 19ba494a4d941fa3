import { apiRoute } from "@/server/http/api-route";
import { startGeneration } from "@/server/generation/start-generation";

// 202: the job runs in the background; follow it with GET /api/v1/batches/{id}/generation.
export const POST = apiRoute<{ id: string }>(async ({ actor, params }) => {
  return Response.json(await startGeneration(actor, params.id), { status: 202 });
});
