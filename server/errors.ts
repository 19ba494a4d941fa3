// One error type with codes, mapped once to HTTP statuses (API) and messages (forms).
import { ZodError } from "zod";
import { isDatabaseUnavailable } from "./db-errors";
import { findHostileText } from "@/lib/hostile-text";

export const ERROR_STATUS = {
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  invalid_input: 400,
  conflict: 409,
  lease_expired: 409,
  batch_not_active: 409,
  invalid_import: 422,
  unsupported_media_type: 415,
  payload_too_large: 413,
  too_many_requests: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export type FieldIssue = { path: string; message: string };

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "AppError";
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export function describeZodIssues(error: ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.join("."),
    message: issue.message,
  }));
}

/**
 * Parses with zod and turns failure into `invalid_input` naming each field. Text Postgres cannot store (a NUL, a lone
 * surrogate) is refused here too, naming its field, whichever door the input came through.
 */
export function parseInput<T>(
  schema: { safeParse(value: unknown): { success: true; data: T } | { success: false; error: ZodError } },
  value: unknown,
): T {
  const hostile = findHostileText(value);
  if (hostile) {
    const path = hostile.path || "input";
    throw new AppError("invalid_input", `${path}: ${hostile.message}`, { issues: [{ path, message: hostile.message }] });
  }
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = describeZodIssues(result.error);
  const summary = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ");
  throw new AppError("invalid_input", summary, { issues });
}

/** Seconds a caller should wait before trying again after `unavailable`. */
export const RETRY_AFTER_SECONDS = 2;

/**
 * What a caller may see of any error: AppErrors as they are; Postgres out of reach as `unavailable` (try again
 * shortly, nothing was lost: every write is one transaction); anything else as a generic internal error.
 */
export function toPublicError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  // The client left mid-upload (server/http/request-guard.ts): its work was rolled back and nobody reads the answer.
  if ((error as Error | null)?.name === "ClientGone") return new AppError("invalid_input", (error as Error).message);
  if (isDatabaseUnavailable(error)) {
    console.error(`database unavailable: ${(error as Error)?.message ?? error}`);
    return new AppError("unavailable", "The database cannot be reached right now. Nothing was lost; try again in a moment.");
  }
  console.error(error);
  return new AppError("internal", "Something went wrong on our side. The error has been logged.");
}
