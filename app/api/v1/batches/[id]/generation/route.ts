import { apiRoute } from "@/server/http/api-route";
import { getGenerationStatus } from "@/server/generation/queries";

export const GET = apiRoute<{ id: string }>(async ({ actor, params }) => {
  return Response.json(await getGenerationStatus(actor, params.id));
});
