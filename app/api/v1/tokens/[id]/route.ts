import { apiRoute } from "@/server/http/api-route";
import { revokeApiToken } from "@/server/auth/api-tokens";

export const DELETE = apiRoute<{ id: string }>(async ({ actor, params }) => Response.json(await revokeApiToken(actor, params.id)));
