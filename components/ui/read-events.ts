// Reads NDJSON events from an /api/v1 route with fetch and a reader, one event per line as soon as it arrives
// (a written turn's live responses, a dataset's save progress). The session cookie authenticates the browser.
import { readNumberedLines } from "@/lib/jsonl";

/** The server refused the request before streaming (bad input, not allowed …): its message, to show as it is. */
export class EventStreamRefused extends Error {}

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

export async function* readEvents<T>(url: string, init: { method?: "GET" | "POST"; body?: unknown; signal?: AbortSignal } = {}): AsyncGenerator<T> {
  const response = await fetch(url, {
    method: init.method ?? "GET",
    headers: { accept: "application/x-ndjson", ...(init.body !== undefined ? { "content-type": "application/json" } : {}) },
    body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
    signal: init.signal,
    cache: "no-store",
  });
  if (!response.ok || !response.body) {
    const answer = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new EventStreamRefused(answer?.error?.message ?? `The server answered ${response.status}.`);
  }
  for await (const { text } of readNumberedLines(chunksOf(response.body))) yield JSON.parse(text) as T;
}
