import { openApiDocument } from "@/server/http/openapi";

// The description of API v1 itself: public, like any API reference (it holds no data).
export const GET = () => Response.json(openApiDocument(), { headers: { "cache-control": "public, max-age=300" } });
