import { apiRoute, readJsonBody, streamEvents } from "@/server/http/api-route";
import { datasetSaveEvents, startDatasetSave } from "@/server/datasets/create-dataset";
import { listDatasets } from "@/server/datasets/queries";

export const GET = apiRoute(async ({ actor }) => Response.json({ datasets: await listDatasets(actor) }));

/** `Accept: application/x-ndjson`: progress events while saving (the datasets page); otherwise one JSON answer. */
export const POST = apiRoute(async ({ request, actor }) => {
  const save = await startDatasetSave(actor, await readJsonBody(request));
  if ((request.headers.get("accept") ?? "").includes("application/x-ndjson")) return streamEvents(datasetSaveEvents(save));
  return Response.json(await save(), { status: 201 });
});
