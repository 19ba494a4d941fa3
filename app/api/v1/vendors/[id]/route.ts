import { apiRoute, readJsonBody } from "@/server/http/api-route";
import { renameVendor } from "@/server/vendors/rename-vendor";

export const PATCH = apiRoute<{ id: string }>(async ({ request, actor, params }) => {
  return Response.json(await renameVendor(actor, params.id, await readJsonBody(request)));
});
