// Reads what a database error means, for the few places that act on it: retry, or tell the caller to come back.
// Postgres SQLSTATE codes from node-postgres, and Prisma's driver-adapter wrapping of the same errors.

type ErrorLike = { code?: unknown; message?: unknown; cause?: unknown; meta?: unknown };

function codesOf(error: unknown): string[] {
  const codes: string[] = [];
  for (let current: unknown = error, depth = 0; current && typeof current === "object" && depth < 5; depth++) {
    const e = current as ErrorLike;
    if (typeof e.code === "string") codes.push(e.code);
    const meta = e.meta as { driverAdapterError?: { cause?: { originalCode?: unknown; kind?: unknown } } } | undefined;
    const adapter = meta?.driverAdapterError?.cause;
    if (typeof adapter?.originalCode === "string") codes.push(adapter.originalCode);
    if (typeof adapter?.kind === "string") codes.push(adapter.kind);
    current = e.cause;
  }
  return codes;
}

function messageOf(error: unknown): string {
  return String((error as ErrorLike | null)?.message ?? error);
}

/** A deadlock, a serialization failure or a unique-index race: the transaction may simply be run again. */
export function isRetryableConflict(error: unknown): boolean {
  const codes = codesOf(error);
  return codes.some((c) => c === "40P01" || c === "40001" || c === "23505") || /deadlock detected/.test(messageOf(error));
}

/** The unique index named `constraint` refused a row. */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  return codesOf(error).includes("23505") && messageOf(error).includes(constraint);
}

// Connection refused or reset, the server shutting down or starting up, no free connection in time.
const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "57P01",
  "57P02",
  "57P03",
  "08000",
  "08001",
  "08003",
  "08004",
  "08006",
  "53300",
  "P1001",
  "P1002",
  "P1017",
  "P2024",
  "DatabaseNotReachable",
  "ConnectionClosed",
  "SocketTimeout",
  "TooManyConnections",
]);
const UNAVAILABLE_MESSAGE =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Can't reach database server|Server has closed the connection|ECONNREFUSED|ECONNRESET|the database system is (starting up|shutting down)|terminating connection due to administrator command/i;

/** Postgres cannot be reached right now: the caller should come back shortly (503 with Retry-After). */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (codesOf(error).some((c) => UNAVAILABLE_CODES.has(c))) return true;
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    if (UNAVAILABLE_MESSAGE.test(messageOf(current))) return true;
    current = (current as ErrorLike).cause;
  }
  return false;
}
