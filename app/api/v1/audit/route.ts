import { apiRoute } from "@/server/http/api-route";
import { listAuditEntries } from "@/server/audit/queries";

// ?action=&actor=&entityType=&entityId=&from=&to=&page=
export const GET = apiRoute(async ({ request, actor }) => {
  return Response.json(await listAuditEntries(actor, Object.fromEntries(new URL(request.url).searchParams)));
});
