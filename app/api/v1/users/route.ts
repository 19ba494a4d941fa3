import { apiRoute, readJsonBody } from "@/server/http/api-route";
import { createUser } from "@/server/users/create-user";
import { listUsers } from "@/server/users/queries";

export const GET = apiRoute(async ({ actor }) => {
  return Response.json({ users: await listUsers(actor) });
});

// Without `password`, the answer carries `generatedPassword`, shown this once.
export const POST = apiRoute(async ({ request, actor }) => {
  return Response.json(await createUser(actor, await readJsonBody(request)), { status: 201 });
});
