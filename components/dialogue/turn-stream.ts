// Reads the NDJSON events of a written turn (GET /api/v1/comparisons/{id}/stream, POST …/retry) with fetch and a
// reader, one event per line as soon as it arrives. The session cookie authenticates the browser on /api/v1.
import { readNumberedLines } from "@/lib/jsonl";
import type { TurnEvent } from "@/server/dialogues/stream-turn-responses";

/** The server refused the stream (not yours, batch paused …): its message, meant to be shown as it is. */
export class TurnStreamRefused extends Error {}

async function* chunksOf(body: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

export async function* readTurnEvents(url: string, init: { method?: "GET" | "POST"; body?: unknown; signal?: AbortSignal } = {}): AsyncGenerator<TurnEvent> {
  const response = await fetch(url, {
    method: init.method ?? "GET",
    headers: { accept: "application/x-ndjson", ...(init.body !== undefined ? { "content-type": "application/json" } : {}) },
    body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
    signal: init.signal,
    cache: "no-store",
  });
  if (!response.ok || !response.body) {
    const answer = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new TurnStreamRefused(answer?.error?.message ?? `The server answered ${response.status}.`);
  }
  for await (const { text } of readNumberedLines(chunksOf(response.body))) yield JSON.parse(text) as TurnEvent;
}
