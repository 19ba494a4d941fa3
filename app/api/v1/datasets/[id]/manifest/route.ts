import { apiRoute } from "@/server/http/api-route";
import { getDatasetManifest } from "@/server/datasets/queries";

export const GET = apiRoute<{ id: string }>(async ({ actor, params }) => Response.json(await getDatasetManifest(actor, params.id)));
