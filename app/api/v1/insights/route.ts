import { apiRoute } from "@/server/http/api-route";
import { getInsights } from "@/server/insights/queries";
import { insightsParamsToInput } from "@/server/insights/schemas";

// ?batch=&focus=&vendor=&from=&to= (lists as repeated keys or comma-separated)
export const GET = apiRoute(async ({ request, actor }) => {
  return Response.json(await getInsights(actor, insightsParamsToInput(new URL(request.url).searchParams)));
});
