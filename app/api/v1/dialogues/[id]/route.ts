import { apiRoute } from "@/server/http/api-route";
import { getDialogue } from "@/server/dialogues/queries";

export const GET = apiRoute<{ id: string }>(async ({ actor, params }) => Response.json(await getDialogue(actor, params.id)));
