import { apiRoute, readJsonBody } from "@/server/http/api-route";
import { parseInput } from "@/server/errors";
import { submitJudgement } from "@/server/tasks/submit-judgement";
import { claimNextTask } from "@/server/tasks/claim-next-task";
import { submitJudgementQuerySchema } from "@/server/tasks/schemas";

// `?next=1` answers {judgement, next} with the next task already leased (null when none): one round trip a task.
export const POST = apiRoute(async ({ request, actor }) => {
  const query = parseInput(submitJudgementQuerySchema, Object.fromEntries(new URL(request.url).searchParams));
  const judgement = await submitJudgement(actor, await readJsonBody(request));
  if (query.next !== "1") return Response.json(judgement);
  return Response.json({ judgement, next: await claimNextTask(actor, { batchId: query.batchId }) });
});
