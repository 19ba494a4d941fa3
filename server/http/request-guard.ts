// What a request must be before any handler reads it: from the app's own origin when the browser's cookie is what
// authenticates it, of the content type the route takes, and no larger than its limit, counted while it streams.
import { AppError } from "../errors";
import { getEnv } from "../env";
import { findHostileText } from "@/lib/hostile-text";
import { hasSessionCookie } from "./security-headers";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function isStateChanging(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}

/** The origin requests must come from: the configured app URL, else (next dev, no APP_URL) the request's own host. */
export function expectedOrigin(headers: Headers, requestUrl: string): string {
  const configured = getEnv().appOrigin;
  if (configured) return configured;
  const host = headers.get("x-forwarded-host") ?? headers.get("host");
  const url = new URL(requestUrl);
  const protocol = headers.get("x-forwarded-proto") ?? url.protocol.replace(/:$/, "");
  return host ? `${protocol}://${host}` : url.origin;
}

/**
 * Why a cookie-authenticated, state-changing request is refused as possibly forged, or null when it came from the
 * app's own pages. Browsers send Origin with every POST, PUT, PATCH and DELETE; without it, Sec-Fetch-Site decides;
 * with neither, the request is refused (a script of ours always sends one of them).
 */
export function foreignOriginProblem(headers: Headers, requestUrl: string): string | null {
  const expected = expectedOrigin(headers, requestUrl);
  const origin = headers.get("origin");
  if (origin !== null) return origin === expected ? null : `came from ${origin}, not from ${expected}`;
  const site = headers.get("sec-fetch-site");
  if (site !== null) return site === "same-origin" ? null : `was sent by a ${site} page`;
  return "carries neither Origin nor Sec-Fetch-Site";
}

/** A state-changing request that the browser's session cookie would authenticate (no bearer token instead). */
export function isCookieStateChange(method: string, headers: Headers): boolean {
  return isStateChanging(method) && !headers.has("authorization") && hasSessionCookie(headers.get("cookie"));
}

/** Refuses a request signed in by cookie that changes state and did not come from the app's origin: 403. */
export function assertSameOrigin(request: Request): void {
  if (!isCookieStateChange(request.method, request.headers)) return;
  const problem = foreignOriginProblem(request.headers, request.url);
  if (problem) {
    throw new AppError("forbidden", `Cross-origin request refused: it ${problem}. Call the API with a bearer token, or from Pairwise's own pages.`);
  }
}

/** The media type of a request (lower case, without parameters), or "" when it has none. */
export function mediaType(request: Request): string {
  return (request.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
}

export function assertMediaType(request: Request, accepted: readonly string[], what: string): void {
  const type = mediaType(request);
  if (!accepted.includes(type)) {
    throw new AppError("unsupported_media_type", `Send ${what} with Content-Type: ${accepted.join(" or ")} (got ${type === "" ? "none" : type}).`);
  }
}

/** The client closed the connection before its body was read whole: whatever it began is rolled back. */
export class ClientGone extends Error {
  constructor() {
    super("The client closed the connection before the request body was read whole.");
    this.name = "ClientGone";
  }
}

function tooLarge(limit: number): AppError {
  return new AppError("payload_too_large", `The request body is larger than ${limit.toLocaleString("en")} bytes.`);
}

/** Checks Content-Length, when given, against `limit` before any byte is read. */
export function assertDeclaredLength(request: Request, limit: number): void {
  const declared = request.headers.get("content-length");
  if (declared !== null && /^\d+$/.test(declared) && Number(declared) > limit) throw tooLarge(limit);
}

/**
 * The bytes of a body, counted as they arrive: past `limit` the read stops (the rest is never buffered) and the
 * answer is 413. A chunked body without Content-Length is held to the same limit.
 */
export async function* limitedBody(request: Request, limit: number, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
  assertDeclaredLength(request, limit);
  if (!request.body) return;
  const reader = request.body.getReader();
  // The client going away cancels the read; the error below (never a quiet end) rolls back what was begun.
  const onAbort = () => void reader.cancel().catch(() => undefined);
  signal?.addEventListener("abort", onAbort, { once: true });
  let total = 0;
  try {
    for (;;) {
      if (signal?.aborted) throw new ClientGone();
      const { value, done } = await reader.read();
      if (signal?.aborted) throw new ClientGone();
      if (done) return;
      total += value.byteLength;
      if (total > limit) throw tooLarge(limit);
      yield value;
    }
  } finally {
    signal?.removeEventListener("abort", onAbort);
    // Stops reading: a cancelled body frees what the client still sends instead of buffering it.
    await reader.cancel().catch(() => undefined);
  }
}

/**
 * The JSON body of an API call: application/json only (415 otherwise), at most JSON_BODY_LIMIT_BYTES (413, before
 * it is buffered), valid JSON, and no NUL or lone surrogate in any string (400 naming the field). Empty is {}.
 */
export async function readJsonBody(request: Request): Promise<unknown> {
  const limit = getEnv().JSON_BODY_LIMIT_BYTES;
  assertDeclaredLength(request, limit);
  const length = request.headers.get("content-length");
  // A declared body is refused for its type before a byte is read; a chunked one once it proves non-empty.
  if (length !== null && length !== "0") assertMediaType(request, ["application/json"], "a JSON body");
  const parts: Uint8Array[] = [];
  for await (const chunk of limitedBody(request, limit)) parts.push(chunk);
  const text = Buffer.concat(parts).toString("utf8");
  if (text.trim() === "") return {};
  assertMediaType(request, ["application/json"], "a JSON body");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError("invalid_input", "The request body is not valid JSON.");
  }
  assertNoHostileText(value);
  return value;
}

/** 400 naming the field when a string holds a NUL character or a lone surrogate (Postgres refuses both). */
export function assertNoHostileText(value: unknown, prefix = ""): void {
  const found = findHostileText(value);
  if (!found) return;
  const path = [prefix, found.path].filter((p) => p !== "").join(".") || "body";
  throw new AppError("invalid_input", `${path}: ${found.message}`, { issues: [{ path, message: found.message }] });
}
