import { apiRoute } from "@/server/http/api-route";
import { previewExport } from "@/server/exports/preview-export";
import { searchParamsToInput } from "@/server/exports/schemas";

export const GET = apiRoute(async ({ request, actor }) =>
  Response.json(await previewExport(actor, searchParamsToInput(new URL(request.url).searchParams))),
);
