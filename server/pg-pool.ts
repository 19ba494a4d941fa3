// A plain node-postgres pool for what Prisma cannot do or does too slowly: COPY streams for exports, bulk updates
// with arrays, and the annotation hot path (claim, submit, skip, sign-in by token: one round trip each, no
// interactive transaction). Everything else goes through the one PrismaClient in db.ts.
import type { Readable } from "node:stream";
import pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { parseCopyStream, type CopyColumnKind } from "@/lib/copy-text";
import { getEnv } from "./env";

/** Every app connection's session settings (the Prisma client's too): UTC, as stored, and no JIT. */
export const SESSION_OPTIONS = "-c timezone=UTC -c jit=off";

const globalForPool = globalThis as unknown as { pairwisePgPool?: pg.Pool };

function pool(): pg.Pool {
  if (!globalForPool.pairwisePgPool) {
    // UTC sessions: timestamps compare and format as Prisma stores them, whatever the server's time zone.
    // Exports hold a connection for as long as their download lasts: room for several at once, and a wait for
    // a free connection that ends in an error instead of hanging.
    // JIT off: the hot path's queries are small, and compiling them cost more than running them.
    const env = getEnv();
    const created = new pg.Pool({
      connectionString: env.DATABASE_URL,
      max: Math.max(10, env.DATABASE_POOL_MAX),
      connectionTimeoutMillis: 60_000,
      options: SESSION_OPTIONS,
    });
    // An idle connection dropped by the server (restart, failover) must not crash the app; the pool reconnects.
    created.on("error", (error) => console.error(`postgres pool: ${error.message}`));
    globalForPool.pairwisePgPool = created;
  }
  return globalForPool.pairwisePgPool;
}

/** Inlines $n parameters as literals: COPY takes no bind parameters. Strings, string arrays and numbers only. */
export function inlineParameters(sql: string, values: unknown[]): string {
  const literal = (value: unknown): string => {
    if (Array.isArray(value)) return `ARRAY[${value.map(literal).join(",")}]::text[]`;
    if (typeof value === "number" && Number.isFinite(value)) return String(value);
    if (typeof value === "string") return pg.escapeLiteral(value);
    throw new Error(`cannot inline a ${typeof value} parameter into COPY`);
  };
  return sql.replace(/\$(\d+)(::text\[\])?/g, (_, n: string) => literal(values[Number(n) - 1]));
}

/**
 * Reads a stream ahead of its consumer, up to `maxBytes`: Postgres keeps producing while rows are formatted,
 * instead of the two taking turns through a socket buffer of a few hundred kilobytes. Memory stays bounded.
 */
async function* readAhead(stream: Readable, maxBytes: number): AsyncGenerator<Buffer> {
  const queue: Buffer[] = [];
  let queued = 0;
  let ended = false;
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const notify = () => {
    wake?.();
    wake = null;
  };
  stream.on("data", (chunk: Buffer) => {
    queue.push(chunk);
    queued += chunk.length;
    if (queued >= maxBytes) stream.pause();
    notify();
  });
  stream.on("end", () => {
    ended = true;
    notify();
  });
  stream.on("error", (error: Error) => {
    failure = error;
    notify();
  });
  for (;;) {
    const chunk = queue.shift();
    if (chunk) {
      queued -= chunk.length;
      if (stream.isPaused() && queued < maxBytes / 2) stream.resume();
      yield chunk;
      continue;
    }
    if (failure) throw failure;
    if (ended) return;
    await new Promise<void>((resolve) => (wake = resolve));
  }
}

/**
 * Streams the rows of a query as COPY text, parsed a batch at a time. Faster than a cursor (no per-row
 * protocol messages or type parsers), and COPY's stream applies backpressure, so memory stays flat.
 */
export async function* streamCopyRows<T>(
  sql: string,
  values: unknown[],
  columns: readonly (readonly [string, CopyColumnKind])[],
): AsyncGenerator<T[]> {
  const client = await pool().connect();
  let failed = false;
  const stream = client.query(copyTo(`COPY (${inlineParameters(sql, values)}) TO STDOUT`));
  try {
    yield* parseCopyStream<T>(
      readAhead(stream, 4 * 1024 * 1024),
      columns.map((c) => c[0]),
      columns.map((c) => c[1]),
    );
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    if (!stream.destroyed) {
      // Stopped early (client went away): the connection is mid-COPY, so it cannot go back to the pool.
      failed = true;
      stream.destroy();
    }
    client.release(failed || undefined);
  }
}

/** A statement of the hot path, prepared once per connection under its name (no parse and plan per call). */
export type PreparedStatement = { readonly name: string; readonly text: string };

export function prepared(name: string, text: string): PreparedStatement {
  return { name, text };
}

export async function preparedRows<T>(statement: PreparedStatement, values: unknown[]): Promise<T[]> {
  const name = getEnv().DATABASE_SINGLE_SESSION === "true" ? undefined : statement.name;
  return (await pool().query({ name, text: statement.text, values })).rows as T[];
}

/** One plain query (bulk updates with arrays, COPY-free reads the cursor does not need). */
export async function queryRows<T>(sql: string, values: unknown[] = []): Promise<T[]> {
  return (await pool().query(sql, values)).rows as T[];
}

export async function closePgPool(): Promise<void> {
  await globalForPool.pairwisePgPool?.end();
  globalForPool.pairwisePgPool = undefined;
}
