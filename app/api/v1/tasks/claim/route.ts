import { apiRoute, readJsonBody } from "@/server/http/api-route";
import { claimNextTask } from "@/server/tasks/claim-next-task";

export const POST = apiRoute(async ({ request, actor }) => {
  const task = await claimNextTask(actor, await readJsonBody(request));
  return task ? Response.json(task) : new Response(null, { status: 204 });
});
