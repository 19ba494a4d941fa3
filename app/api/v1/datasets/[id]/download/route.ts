import { apiRoute, streamDownload } from "@/server/http/api-route";
import { openDatasetDownload } from "@/server/datasets/queries";

export const GET = apiRoute<{ id: string }>(async ({ request, actor, params }) => {
  const file = new URL(request.url).searchParams.get("file") ?? undefined;
  const download = await openDatasetDownload(actor, params.id, { file });
  const response = streamDownload(download.bytes, download.filename, download.contentType);
  // The digest the manifest recorded when the dataset was saved: clients can check what they received.
  if (download.sha256) response.headers.set("x-content-sha256", download.sha256);
  return response;
});
