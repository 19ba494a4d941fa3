// The NDJSON events of a written turn (GET /api/v1/comparisons/{id}/stream, POST …/retry).
import { EventStreamRefused, readEvents } from "@/components/ui/read-events";
import type { TurnEvent } from "@/server/dialogues/stream-turn-responses";

/** The server refused the stream (not yours, batch paused …): its message, meant to be shown as it is. */
export const TurnStreamRefused = EventStreamRefused;

export function readTurnEvents(url: string, init: { method?: "GET" | "POST"; body?: unknown; signal?: AbortSignal } = {}): AsyncGenerator<TurnEvent> {
  return readEvents<TurnEvent>(url, init);
}
