import { apiRoute, readJsonBody } from "@/server/http/api-route";
import { createApiToken, listApiTokens } from "@/server/auth/api-tokens";

export const GET = apiRoute(async ({ request, actor }) =>
  Response.json({ tokens: await listApiTokens(actor, Object.fromEntries(new URL(request.url).searchParams)) }),
);

export const POST = apiRoute(async ({ request, actor }) => Response.json(await createApiToken(actor, await readJsonBody(request)), { status: 201 }));
