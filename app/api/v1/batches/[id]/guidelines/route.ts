import { apiRoute, readJsonBody } from "@/server/http/api-route";
import { saveGuidelines } from "@/server/batches/save-guidelines";

// Always a new version (201); the same text as the latest version returns that version (200).
export const PUT = apiRoute<{ id: string }>(async ({ request, actor, params }) => {
  const saved = await saveGuidelines(actor, params.id, await readJsonBody(request));
  return Response.json(saved, { status: saved.created ? 201 : 200 });
});
