import { apiRoute, readJsonBody } from "@/server/http/api-route";
import { startDialogue } from "@/server/dialogues/start-turn";

export const POST = apiRoute(async ({ request, actor }) => Response.json(await startDialogue(actor, await readJsonBody(request)), { status: 201 }));
