// Server Actions return results instead of throwing, so forms can show the one error mapping's message.
import { toPublicError, type ErrorCode } from "./errors";

export type ActionResult<T> = { ok: true; value: T } | { ok: false; error: { code: ErrorCode; message: string; details?: unknown } };

export async function runAction<T>(work: () => Promise<T>): Promise<ActionResult<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    const appError = toPublicError(error);
    return { ok: false, error: { code: appError.code, message: appError.message, details: appError.details } };
  }
}
