import { apiRoute, streamDownload } from "@/server/http/api-route";
import { streamCanonicalExport } from "@/server/exports/stream-canonical-export";

export const GET = apiRoute(async ({ request, actor }) => {
  const query = Object.fromEntries(new URL(request.url).searchParams);
  const { filename, lines } = await streamCanonicalExport(actor, query);
  return streamDownload(lines, filename);
});
