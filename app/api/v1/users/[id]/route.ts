import { apiRoute, readJsonBody } from "@/server/http/api-route";
import { getUser } from "@/server/users/queries";
import { updateUser } from "@/server/users/update-user";

export const GET = apiRoute<{ id: string }>(async ({ actor, params }) => {
  return Response.json(await getUser(actor, params.id));
});

export const PATCH = apiRoute<{ id: string }>(async ({ request, actor, params }) => {
  return Response.json(await updateUser(actor, params.id, await readJsonBody(request)));
});
