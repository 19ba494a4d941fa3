import { apiRoute, readJsonBody } from "@/server/http/api-route";
import { createDataset } from "@/server/datasets/create-dataset";
import { listDatasets } from "@/server/datasets/queries";

export const GET = apiRoute(async ({ actor }) => Response.json({ datasets: await listDatasets(actor) }));

export const POST = apiRoute(async ({ request, actor }) => Response.json(await createDataset(actor, await readJsonBody(request)), { status: 201 }));
