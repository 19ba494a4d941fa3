// The one PrismaClient (driver adapter over node-postgres), created on first use.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client";
import { getEnv } from "./env";
import { SESSION_OPTIONS } from "./pg-pool";

const globalForPrisma = globalThis as unknown as { pairwisePrisma?: PrismaClient };

function createClient(): PrismaClient {
  const env = getEnv();
  const adapter = new PrismaPg({ connectionString: env.DATABASE_URL, max: env.DATABASE_POOL_MAX, options: SESSION_OPTIONS });
  return new PrismaClient({ adapter });
}

function client(): PrismaClient {
  globalForPrisma.pairwisePrisma ??= createClient();
  return globalForPrisma.pairwisePrisma;
}

/** Lazily bound so that importing this module (e.g. during `next build`) opens no connection. */
export const db = new Proxy({} as PrismaClient, {
  get(_target, property) {
    const value = Reflect.get(client(), property);
    return typeof value === "function" ? value.bind(client()) : value;
  },
});

export async function disconnectDb(): Promise<void> {
  await globalForPrisma.pairwisePrisma?.$disconnect();
  globalForPrisma.pairwisePrisma = undefined;
}

export type { Prisma } from "./generated/prisma/client";
