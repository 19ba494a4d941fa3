import { apiRoute, streamEvents } from "@/server/http/api-route";
import { streamTurnResponses } from "@/server/dialogues/stream-turn-responses";

// Sampled live for each request: never cached, never prerendered.
export const dynamic = "force-dynamic";

export const GET = apiRoute<{ id: string }>(async ({ request, actor, params }) =>
  streamEvents(await streamTurnResponses(actor, params.id, { signal: request.signal })),
);
