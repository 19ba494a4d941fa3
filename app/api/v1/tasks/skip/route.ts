import { apiRoute, readJsonBody } from "@/server/http/api-route";
import { skipTask } from "@/server/tasks/skip-task";

export const POST = apiRoute(async ({ request, actor }) => Response.json(await skipTask(actor, await readJsonBody(request))));
