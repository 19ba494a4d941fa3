// One fresh, migrated database for the whole integration run; dropped at the end.
import type { TestProject } from "vitest/node";
import { createTestDatabase, dropTestDatabase, uniqueDatabaseName } from "../support/test-database";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const name = uniqueDatabaseName("pairwise_it");
  const url = await createTestDatabase(name);
  project.provide("databaseUrl", url);
  return async () => {
    const { closePgPool } = await import("../../server/pg-pool");
    await closePgPool().catch(() => undefined);
    await dropTestDatabase(name);
  };
}
