// Readiness for load balancers: Postgres answers (503 with Retry-After otherwise). Needs no sign-in.
import { isDatabaseReady } from "@/server/health/readiness";
import { RETRY_AFTER_SECONDS } from "@/server/errors";

export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  if (await isDatabaseReady()) return Response.json({ status: "ready" }, { headers: { "cache-control": "no-store" } });
  return Response.json(
    { status: "unavailable", error: { code: "unavailable", message: "The database cannot be reached right now." } },
    { status: 503, headers: { "cache-control": "no-store", "retry-after": String(RETRY_AFTER_SECONDS) } },
  );
}
