// Generation on the embedded database, as npm start runs it (PGlite behind its socket server, one session shared by
// every connection, DATABASE_SINGLE_SESSION): a job run to done, then a job whose batch is closed midway. Run by
// tests/integration/generation/embedded-database.test.ts in a process of its own (server/db binds to one database
// per process); prints one JSON line per job.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startEmbeddedPostgres } from "../../server/cli/embedded-postgres";
import { startFakeModelServer } from "./fake-model-server";

const root = path.resolve(__dirname, "..", "..");

/** Without blocking this process: the embedded database answers from it. */
function migrate(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(root, "node_modules", ".bin", "prisma"), ["migrate", "deploy"], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: url },
      stdio: "ignore",
    });
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`prisma migrate deploy exited with ${code}`))));
  });
}

async function main() {
  const dataDir = mkdtempSync(path.join(tmpdir(), "pairwise-embedded-"));
  const embedded = await startEmbeddedPostgres(dataDir);
  try {
    await migrate(embedded.url);
    // As server/cli/start.ts sets them for the embedded database.
    Object.assign(process.env, { DATABASE_URL: embedded.url, DATABASE_POOL_MAX: "8", DATABASE_SINGLE_SESSION: "true" });
    process.env.NEXTAUTH_SECRET ??= "embedded-secret-0123456789abcdef";
    const { db, disconnectDb } = await import("../../server/db");
    const { createUser } = await import("../../server/users/create-user");
    const { toActor } = await import("../../server/auth/actor");
    const { createBatch } = await import("../../server/batches/create-batch");
    const { importItems } = await import("../../server/imports/import-items");
    const { setBatchModelVariants } = await import("../../server/batches/set-batch-model-variants");
    const { setBatchStatus } = await import("../../server/batches/set-batch-status");
    const { createModelVariant } = await import("../../server/model-variants/create-model-variant");
    const { startGeneration } = await import("../../server/generation/start-generation");
    const { startGenerationSweeps, stopGenerationWorkers } = await import("../../server/generation/run-generation-job");
    const models = await startFakeModelServer({ latencyMs: [50, 150] });
    startGenerationSweeps(); // as instrumentation.ts does in the server
    try {
      await createUser(null, { email: "embedded@embedded.test", password: "embedded-password-123", role: "admin" });
      const admin = toActor(await db.user.findUniqueOrThrow({ where: { email: "embedded@embedded.test" } }));
      const variantIds: string[] = [];
      for (const name of ["a", "b", "c"])
        variantIds.push((await createModelVariant(admin, { name, baseUrl: models.url, modelId: name, maxConcurrency: 2 })).id);
      const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

      for (const [label, prompts] of [
        ["done", 20],
        ["closed", 60],
      ] as const) {
        const { id: batchId } = await createBatch(admin, { name: label, focus: "helpfulness", overlap: 1, guidelines: "" });
        const lines = Array.from({ length: prompts }, (_, i) => JSON.stringify({ prompt: `${label} prompt ${i}` })).join("\n");
        await importItems(
          admin,
          batchId,
          "prompts",
          (async function* () {
            yield new TextEncoder().encode(lines);
          })(),
        );
        await setBatchModelVariants(admin, batchId, { modelVariantIds: variantIds });
        const job = await startGeneration(admin, batchId);
        const read = () => db.generationJob.findUniqueOrThrow({ where: { id: job.id } });
        const responses = () => db.response.count({ where: { comparison: { batchId } } });
        if (label === "done") {
          let state = await read();
          while (state.status === "queued" || state.status === "running") {
            await sleep(100);
            state = await read();
          }
          console.log(JSON.stringify({ label, status: state.status, done: state.done, failed: state.failed, responses: await responses() }));
        } else {
          while ((await read()).done < 5) await sleep(50);
          await setBatchStatus(admin, batchId, { status: "closed" });
          const atClose = await responses();
          await sleep(1500);
          console.log(JSON.stringify({ label, status: (await read()).status, responsesAtClose: atClose, responsesLater: await responses() }));
        }
      }
    } finally {
      await stopGenerationWorkers();
      await models.close();
      await disconnectDb();
    }
  } finally {
    await embedded.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
