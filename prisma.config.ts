import "dotenv/config";
import { fileURLToPath } from "node:url";
import { defineConfig, env } from "prisma/config";

// Prisma's native schema engine is downloaded from Prisma's CDN, which is not
// reachable from our machines. Point the CLI at our wasm-based stand-in
// (see prisma/engine/schema-engine.mjs) before it looks for the binary.
// An explicitly set PRISMA_SCHEMA_ENGINE_BINARY (e.g. a real native engine) wins.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= fileURLToPath(new URL("./prisma/engine/schema-engine.mjs", import.meta.url));

// `prisma generate` needs no database, so a missing DATABASE_URL must not break
// it (`npm install` runs it as postinstall). Commands that do connect fail on
// this placeholder with "DATABASE_URL is not set" (the engine recognises it).
const PLACEHOLDER_DATABASE_URL = "postgresql://unset@127.0.0.1:1/DATABASE_URL_is_not_set";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: {
    path: "prisma/migrations",
  },
  datasource: {
    url: process.env.DATABASE_URL ? env("DATABASE_URL") : PLACEHOLDER_DATABASE_URL,
    shadowDatabaseUrl: process.env.SHADOW_DATABASE_URL || undefined,
  },
});
