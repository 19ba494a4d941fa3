import { apiRoute, readJsonBody } from "@/server/http/api-route";
import { createVendor } from "@/server/vendors/create-vendor";
import { listVendors } from "@/server/vendors/queries";

export const GET = apiRoute(async ({ actor }) => {
  return Response.json({ vendors: await listVendors(actor) });
});

export const POST = apiRoute(async ({ request, actor }) => {
  return Response.json(await createVendor(actor, await readJsonBody(request)), { status: 201 });
});
