// What went wrong with a call to a model endpoint, in words an admin can act on: DNS, refused, TLS, timeout or
// the HTTP status. The SDK's own message for all of these is "Connection error."; the cause says which.
import { APIConnectionError, APIConnectionTimeoutError, APIError } from "openai";

const TLS_CODES = /^(CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|ERR_TLS_|ERR_SSL_|EPROTO$)/;

/** The deepest `code` in an error's chain of causes (undici wraps the socket's error once or twice), and its last message. */
function causeCode(error: unknown): { code: string | undefined; message: string | undefined } {
  let current: unknown = error;
  const found: { code: string | undefined; message: string | undefined } = { code: undefined, message: undefined };
  for (let depth = 0; current && typeof current === "object" && depth < 6; depth++) {
    const { code, message, cause } = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof code === "string") found.code = code;
    if (depth > 0 && typeof message === "string" && message !== "") found.message = message;
    current = cause;
  }
  return found;
}

export function describeCallFailure(error: unknown): string {
  if (error instanceof APIConnectionTimeoutError) return "timeout: the endpoint did not answer in time";
  if (error instanceof APIConnectionError) {
    const { code, message } = causeCode(error);
    if (code === "ENOTFOUND" || code === "EAI_AGAIN") return `DNS: the endpoint's host name could not be resolved (${code})`;
    if (code === "ECONNREFUSED") return "connection refused: nothing listens at the endpoint's address and port";
    if (code === "ECONNRESET" || code === "UND_ERR_SOCKET") return `connection reset by the endpoint (${code})`;
    if (code === "ETIMEDOUT" || code === "UND_ERR_CONNECT_TIMEOUT") return `timeout: could not connect to the endpoint (${code})`;
    if (code === "EHOSTUNREACH" || code === "ENETUNREACH") return `network: the endpoint's host cannot be reached (${code})`;
    if (code && TLS_CODES.test(code)) return `TLS: the endpoint's certificate or handshake was refused (${code})`;
    return `connection error${code ? ` (${code})` : ""}${message ? `: ${message}` : ""}`;
  }
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof APIError && typeof error.status === "number" && !message.startsWith(String(error.status))) {
    return `HTTP ${error.status}: ${message}`;
  }
  if (error instanceof APIError && typeof error.status === "number") return `HTTP ${message}`;
  return message;
}
