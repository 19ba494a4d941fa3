import { apiRoute, readJsonBody } from "@/server/http/api-route";
import { startNextTurn } from "@/server/dialogues/start-turn";

export const POST = apiRoute<{ id: string }>(async ({ request, actor, params }) =>
  Response.json(await startNextTurn(actor, params.id, await readJsonBody(request)), { status: 201 }),
);
