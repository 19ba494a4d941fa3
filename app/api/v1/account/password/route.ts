import { apiRoute, readJsonBody } from "@/server/http/api-route";
import { changePassword } from "@/server/account/change-password";

export const POST = apiRoute(async ({ request, actor }) => Response.json(await changePassword(actor, await readJsonBody(request))));
