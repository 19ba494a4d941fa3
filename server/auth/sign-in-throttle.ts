// Sign-in throttling per account and per address, counted in Postgres so every replica sees the same counts.
// After a few failures each further attempt waits longer (doubling, capped); the count is forgotten once the
// last failure is old enough, so nobody is locked out for good, and a right password resets its account's count.
import { queryRows } from "../pg-pool";

/** Failures allowed before any wait, per kind of key: an address may be shared (an office behind one NAT). */
const FREE_FAILURES = { email: 5, ip: 20 } as const;
const MAX_DELAY_SECONDS = 15 * 60;
/** A count is forgotten this long after the wait its last failure imposed has passed. */
const FORGET_AFTER_SECONDS = 15 * 60;

export type ThrottleKey = `email:${string}` | `ip:${string}`;

export function throttleKeys(email: string, ip: string | null): ThrottleKey[] {
  const keys: ThrottleKey[] = [`email:${email.trim().toLowerCase()}`];
  if (ip) keys.push(`ip:${ip}`);
  return keys;
}

/** Seconds to wait after `failures` failures of a key of this kind: 0 while free, then 1, 2, 4 … up to 15 min. */
export function delayAfter(kind: "email" | "ip", failures: number): number {
  const over = failures - FREE_FAILURES[kind];
  if (over < 0) return 0;
  return Math.min(MAX_DELAY_SECONDS, 2 ** over);
}

type Row = { key: string; failures: number; age: number };

/** How many seconds the caller must wait before trying these keys again (0: go ahead). */
export async function secondsToWait(keys: ThrottleKey[]): Promise<number> {
  const rows = await queryRows<Row>(
    `SELECT key, failures, extract(epoch FROM now() - "lastFailureAt")::float8 AS age FROM "SignInThrottle" WHERE key = ANY($1::text[])`,
    [keys],
  );
  let wait = 0;
  for (const row of rows) {
    const delay = delayAfter(row.key.startsWith("ip:") ? "ip" : "email", row.failures);
    if (row.age > delay + FORGET_AFTER_SECONDS) continue;
    wait = Math.max(wait, Math.ceil(delay - row.age));
  }
  return wait;
}

/** Counts one failure against each key; a count whose wait and grace have passed starts again at 1. */
export async function recordFailure(keys: ThrottleKey[]): Promise<void> {
  // Mirrors delayAfter(): the free failures of the key's kind, then doubling, capped.
  await queryRows(
    `INSERT INTO "SignInThrottle" AS t (key, failures, "lastFailureAt")
       SELECT k, 1, now() FROM unnest($1::text[]) AS k
     ON CONFLICT (key) DO UPDATE SET
       failures = CASE
         WHEN extract(epoch FROM now() - t."lastFailureAt") > $3::float8 + (
           SELECT CASE WHEN t.failures >= free THEN LEAST($2::float8, power(2, t.failures - free)) ELSE 0 END
             FROM (SELECT CASE WHEN t.key LIKE 'ip:%' THEN $4::int ELSE $5::int END AS free) AS f)
         THEN 1 ELSE t.failures + 1 END,
       "lastFailureAt" = now()`,
    [keys, MAX_DELAY_SECONDS, FORGET_AFTER_SECONDS, FREE_FAILURES.ip, FREE_FAILURES.email],
  );
}

/** A right password: its account starts afresh (the address keeps its count, so one good account cannot reset it). */
export async function clearFailures(key: ThrottleKey): Promise<void> {
  await queryRows(`DELETE FROM "SignInThrottle" WHERE key = $1`, [key]);
}

/** The caller's address as the nearest proxy (or Next itself, when none) recorded it. */
export function clientAddress(headers: Headers | Record<string, unknown> | undefined): string | null {
  const raw = headers instanceof Headers ? headers.get("x-forwarded-for") : (headers?.["x-forwarded-for"] as string | undefined);
  if (!raw) return null;
  const parts = String(raw)
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "");
  return parts.length > 0 ? parts[parts.length - 1].slice(0, 100) : null;
}
