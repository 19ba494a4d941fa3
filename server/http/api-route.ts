// The second door: wraps an /api/v1 route handler with caller resolution and the one error mapping.
import { AppError, RETRY_AFTER_SECONDS, toPublicError } from "../errors";
import { actorFromRequest } from "../auth/current-user";
import type { Actor } from "../auth/permissions";
import { assertSameOrigin } from "./request-guard";

export { readJsonBody } from "./request-guard";

type RouteContext<P> = { params: Promise<P> };

export function apiRoute<P = Record<string, never>>(handler: (call: { request: Request; actor: Actor; params: P }) => Promise<Response>) {
  return async (request: Request, context: RouteContext<P>): Promise<Response> => {
    try {
      // Before anything else: a forged request (another site's form or fetch riding the cookie) changes nothing.
      assertSameOrigin(request);
      const actor = await actorFromRequest(request);
      if (!actor) {
        throw new AppError("unauthenticated", "Send a valid API token as `Authorization: Bearer <token>` (npm run token:create).");
      }
      return await handler({ request, actor, params: await context.params });
    } catch (error) {
      return errorResponse(error);
    }
  };
}

export function errorResponse(error: unknown, extra: Record<string, unknown> = {}): Response {
  const appError = toPublicError(error);
  const body: Record<string, unknown> = { ...extra, error: { code: appError.code, message: appError.message } };
  if (appError.details !== undefined) (body.error as Record<string, unknown>).details = appError.details;
  const headers: Record<string, string> = {};
  if (appError.code === "unavailable") headers["retry-after"] = String(RETRY_AFTER_SECONDS);
  const wait = (appError.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
  if (appError.code === "too_many_requests" && typeof wait === "number") headers["retry-after"] = String(wait);
  return Response.json(body, { status: appError.status, headers });
}

/** A web ReadableStream over an async iterable: pulled on demand; the client going away returns the iterator. */
function readableFrom(chunks: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const iterator = chunks[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done } = await iterator.next();
        if (done) controller.close();
        else controller.enqueue(value);
      } catch (error) {
        console.error(error);
        controller.error(error);
      }
    },
    async cancel() {
      await iterator.return?.(undefined);
    },
  });
}

/** Streams bytes as a download; an error after the first byte ends the stream (the client sees a cut file). */
export function streamDownload(chunks: AsyncIterable<Uint8Array>, filename: string, contentType: string): Response {
  return new Response(readableFrom(chunks), {
    headers: {
      "content-type": contentType,
      "content-disposition": `attachment; filename="${filename.replace(/"/g, "")}"`,
      "cache-control": "no-store",
    },
  });
}

/**
 * Streams events as NDJSON, one JSON object a line, each sent as soon as it is produced (no-transform keeps
 * compression from holding them back). The client going away stops the producer through its iterator's return().
 */
export function streamEvents(events: AsyncIterable<unknown>): Response {
  const encoder = new TextEncoder();
  async function* lines() {
    for await (const event of events) yield encoder.encode(JSON.stringify(event) + "\n");
  }
  return new Response(readableFrom(lines()), {
    headers: { "content-type": "application/x-ndjson; charset=utf-8", "cache-control": "no-store, no-transform", "x-accel-buffering": "no" },
  });
}
