// A plain node-postgres pool for what Prisma cannot do: cursors that stream rows (exports).
// Everything else goes through the one PrismaClient in db.ts.
import pg from "pg";
import QueryStream from "pg-query-stream";
import { getEnv } from "./env";

const globalForPool = globalThis as unknown as { pairwisePgPool?: pg.Pool };

function pool(): pg.Pool {
  if (!globalForPool.pairwisePgPool) {
    const created = new pg.Pool({ connectionString: getEnv().DATABASE_URL, max: 4 });
    // An idle connection dropped by the server (restart, failover) must not crash the app; the pool reconnects.
    created.on("error", (error) => console.error(`postgres pool: ${error.message}`));
    globalForPool.pairwisePgPool = created;
  }
  return globalForPool.pairwisePgPool;
}

/** Streams the rows of a query through a server-side cursor: memory stays flat however many rows. */
export async function* streamRows<T>(sql: string, values: unknown[], batchSize = 500): AsyncGenerator<T> {
  const client = await pool().connect();
  let failed = false;
  try {
    const stream = client.query(new QueryStream(sql, values, { batchSize }));
    try {
      for await (const row of stream) yield row as T;
    } finally {
      stream.destroy();
    }
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    // A cursor abandoned midway (client went away) leaves the connection unusable: discard it.
    client.release(failed || undefined);
  }
}

/** One plain query (bulk updates with arrays, COPY-free reads the cursor does not need). */
export async function queryRows<T>(sql: string, values: unknown[] = []): Promise<T[]> {
  return (await pool().query(sql, values)).rows as T[];
}

export async function closePgPool(): Promise<void> {
  await globalForPool.pairwisePgPool?.end();
  globalForPool.pairwisePgPool = undefined;
}
