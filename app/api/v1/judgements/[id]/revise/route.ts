import { apiRoute, readJsonBody } from "@/server/http/api-route";
import { reviseJudgement } from "@/server/tasks/revise-judgement";

export const POST = apiRoute<{ id: string }>(async ({ request, actor, params }) => {
  const body = (await readJsonBody(request)) as Record<string, unknown>;
  return Response.json(await reviseJudgement(actor, { ...body, judgementId: params.id }));
});
