import { apiRoute } from "@/server/http/api-route";
import { endDialogue } from "@/server/dialogues/end-dialogue";

export const POST = apiRoute<{ id: string }>(async ({ actor, params }) => Response.json(await endDialogue(actor, params.id)));
