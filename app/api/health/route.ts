// Liveness for load balancers: the process is up. Touches no database, needs no sign-in.
export const dynamic = "force-dynamic";

export function GET(): Response {
  return Response.json({ status: "ok" }, { headers: { "cache-control": "no-store" } });
}
