import { apiRoute, readJsonBody } from "@/server/http/api-route";
import { submitJudgement } from "@/server/tasks/submit-judgement";
import { claimNextTask } from "@/server/tasks/claim-next-task";

// `?next=1` answers {judgement, next} with the next task already leased (null when none): one round trip a task.
export const POST = apiRoute(async ({ request, actor }) => {
  const judgement = await submitJudgement(actor, await readJsonBody(request));
  const url = new URL(request.url);
  if (url.searchParams.get("next") !== "1") return Response.json(judgement);
  const batchId = url.searchParams.get("batchId") ?? undefined;
  return Response.json({ judgement, next: await claimNextTask(actor, { batchId }) });
});
