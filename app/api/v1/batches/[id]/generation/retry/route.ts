import { apiRoute } from "@/server/http/api-route";
import { retryFailedGeneration } from "@/server/generation/retry-failed-items";

export const POST = apiRoute<{ id: string }>(async ({ actor, params }) => {
  return Response.json(await retryFailedGeneration(actor, params.id), { status: 202 });
});
