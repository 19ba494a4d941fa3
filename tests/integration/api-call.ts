// Calling /api/v1 route handlers the way Next.js does, with a bearer token, and checking AppErrors.
import { expect } from "vitest";
import { AppError } from "@/server/errors";
import { createApiToken } from "@/server/auth/api-tokens";
import type { Actor } from "@/server/auth/permissions";

export async function callRoute<P>(
  handler: (request: Request, context: { params: Promise<P> }) => Promise<Response>,
  token: string | null,
  options: { method?: string; body?: unknown; params?: P; query?: Record<string, string>; headers?: Record<string, string> } = {},
): Promise<{ status: number; text: string; json: Record<string, unknown> }> {
  const url = new URL("http://localhost/api/v1/test");
  for (const [key, value] of Object.entries(options.query ?? {})) url.searchParams.set(key, value);
  const request = new Request(url, {
    method: options.method ?? "GET",
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : { authorization: "Bearer none" }),
      "content-type": "application/json",
      ...options.headers,
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const response = await handler(request, { params: Promise.resolve((options.params ?? {}) as P) });
  const text = await response.text();
  // NDJSON answers (event streams) are read from `text`.
  const ndjson = (response.headers.get("content-type") ?? "").includes("ndjson");
  return { status: response.status, text, json: text && !ndjson ? JSON.parse(text) : {} };
}

export async function tokenFor(actor: Actor): Promise<string> {
  return (await createApiToken(actor, { userId: actor.id, name: "test" })).token;
}

export async function expectAppError(promise: Promise<unknown>, code: string, message?: RegExp) {
  await expect(promise).rejects.toSatisfy(
    (error: unknown) => error instanceof AppError && error.code === code && (!message || message.test(error.message)),
  );
}
