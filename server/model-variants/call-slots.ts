// The call slots of a model variant, shared by every server through Postgres (ModelCallSlot): a call takes the
// lease of a free slot (slot < maxConcurrency) before it is sent and gives it back when it ends, so at most
// maxConcurrency calls are in flight per variant across all replicas. A lease expires LEASE_MARGIN_MS after the
// call's own deadline (timeoutMs), which always ends the call first: only a server that died leaves a slot taken,
// and only until then. Times are the database's, so servers with skewed clocks agree.
import { randomUUID } from "node:crypto";
import { db } from "../db";
import { getEnv } from "../env";

const LEASE_MARGIN_MS = 2_000;
const POLL_MIN_MS = 20;
const POLL_MAX_MS = 250;

export type CallSlotVariant = { id: string; maxConcurrency: number; timeoutMs: number };
export type CallSlotLease = { slot: number; release: () => Promise<void> };

// Variants (at a given maxConcurrency) whose slot rows this process has already made sure of.
const ensured = new Set<string>();

async function ensureSlots(variant: CallSlotVariant): Promise<void> {
  const key = `${variant.id}:${variant.maxConcurrency}`;
  if (ensured.has(key)) return;
  await db.$executeRaw`
    INSERT INTO "ModelCallSlot" ("modelVariantId", slot)
    SELECT ${variant.id}, s FROM generate_series(0, ${variant.maxConcurrency}::int - 1) s
    ON CONFLICT DO NOTHING`;
  ensured.add(key);
}

/** Takes a free slot of the variant, or one whose lease expired; null when every slot is taken. */
async function tryTake(variant: CallSlotVariant, holder: string): Promise<number | null> {
  const leaseMs = variant.timeoutMs + LEASE_MARGIN_MS;
  const rows = await db.$queryRaw<{ slot: number }[]>`
    UPDATE "ModelCallSlot"
    SET holder = ${holder}, "expiresAt" = (now() AT TIME ZONE 'UTC') + ${leaseMs}::int * interval '1 millisecond'
    WHERE "modelVariantId" = ${variant.id} AND slot = (
      SELECT slot FROM "ModelCallSlot"
      WHERE "modelVariantId" = ${variant.id} AND slot < ${variant.maxConcurrency}::int
        AND ("expiresAt" IS NULL OR "expiresAt" < (now() AT TIME ZONE 'UTC'))
      ORDER BY slot
      LIMIT 1
      FOR UPDATE SKIP LOCKED)
    RETURNING slot`;
  return rows[0]?.slot ?? null;
}

/**
 * Waits for a slot of the variant (polling with growing, jittered pauses while other servers hold them all) and
 * returns its lease. Rejects with the signal's reason when the caller gives up first.
 */
export async function takeCallSlot(variant: CallSlotVariant, signal?: AbortSignal): Promise<CallSlotLease> {
  // The embedded database (npm start without DATABASE_URL) serves the one server that started it: the bound of
  // this process (model-client's p-limit) is the whole bound, and its single session is spared these statements.
  if (getEnv().DATABASE_SINGLE_SESSION === "true") return { slot: -1, release: async () => undefined };
  await ensureSlots(variant);
  const holder = randomUUID();
  let pauseMs = POLL_MIN_MS;
  for (;;) {
    signal?.throwIfAborted();
    const slot = await tryTake(variant, holder);
    if (slot !== null) {
      return {
        slot,
        release: async () => {
          try {
            await db.$executeRaw`
              UPDATE "ModelCallSlot" SET holder = NULL, "expiresAt" = NULL
              WHERE "modelVariantId" = ${variant.id} AND slot = ${slot} AND holder = ${holder}`;
          } catch (error) {
            // The lease expires by itself; the slot is only unavailable until then.
            console.error(`model variant ${variant.id}: releasing call slot ${slot} failed: ${(error as Error)?.message ?? error}`);
          }
        },
      };
    }
    await sleep(pauseMs * (0.5 + Math.random()), signal);
    pauseMs = Math.min(POLL_MAX_MS, pauseMs * 2);
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", abort);
    };
    const abort = () => {
      done();
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      done();
      resolve();
    }, ms);
    signal?.addEventListener("abort", abort, { once: true });
  });
}
