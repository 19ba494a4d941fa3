// A generation worker in a process of its own, as a second `next start` runs one: for the tests that need two
// independent servers on one database (takeover after SIGKILL, limits shared by replicas, a close seen from
// another process). Run with tsx; DATABASE_URL, NEXTAUTH_SECRET and GENERATION_HEARTBEAT_MS come from the
// environment. Flags: --sweep (look for queued and stale jobs, as instrumentation.ts does), --run JOB_ID (work
// on that job now; repeatable), --retry-base-ms N (backoff of model calls). Prints one JSON line
// {"ready": true, "workerId": …} once it works, and stops its workers on SIGTERM. On SIGUSR1 it sweeps once, at
// that moment (two processes signalled together race for the same jobs), and prints {"swept": [job ids]}; on SIGUSR2
// it prints {"runs": [job ids]}, the jobs its runners work on now (empty once a worker that lost its job stopped).
import { configureModelRetries } from "../../server/model-variants/model-client";
import {
  generationRunsHere,
  generationWorkerId,
  resumeGenerationJobs,
  runGenerationJob,
  startGenerationSweeps,
  stopGenerationWorkers,
} from "../../server/generation/run-generation-job";
import { disconnectDb } from "../../server/db";

function flagValues(name: string): string[] {
  const args = process.argv.slice(2);
  return args.flatMap((arg, i) => (arg === name && i + 1 < args.length ? [args[i + 1]] : []));
}

async function main() {
  const base = flagValues("--retry-base-ms")[0];
  if (base) configureModelRetries({ baseDelayMs: Number(base), maxDelayMs: Number(base) * 4 });
  if (process.argv.includes("--sweep")) startGenerationSweeps();
  for (const jobId of flagValues("--run")) void runGenerationJob(jobId);
  // Keeps the process alive: the sweep's timer is unref'd, as it must be in a server.
  const alive = setInterval(() => undefined, 60_000);
  process.on("SIGUSR1", () => void resumeGenerationJobs().then((swept) => console.log(JSON.stringify({ swept }))));
  process.on("SIGUSR2", () => console.log(JSON.stringify({ runs: generationRunsHere() })));
  process.on("SIGTERM", () => {
    clearInterval(alive);
    void stopGenerationWorkers()
      .then(() => disconnectDb())
      .finally(() => process.exit(0));
  });
  console.log(JSON.stringify({ ready: true, workerId: generationWorkerId() }));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
