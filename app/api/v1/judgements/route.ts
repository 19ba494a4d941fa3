import { apiRoute, readJsonBody } from "@/server/http/api-route";
import { submitJudgement } from "@/server/tasks/submit-judgement";

export const POST = apiRoute(async ({ request, actor }) => Response.json(await submitJudgement(actor, await readJsonBody(request))));
