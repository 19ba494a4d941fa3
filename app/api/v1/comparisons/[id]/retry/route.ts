import { apiRoute, readJsonBody, streamEvents } from "@/server/http/api-route";
import { retrySide } from "@/server/dialogues/retry-side";

export const POST = apiRoute<{ id: string }>(async ({ request, actor, params }) =>
  streamEvents(await retrySide(actor, params.id, await readJsonBody(request), { signal: request.signal })),
);
