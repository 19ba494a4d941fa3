// Runs once when the Next.js server starts: every server then sweeps for generation jobs that are queued or whose
// worker died (heartbeat stale) and takes them over, so jobs carry on without a restart or a new request.
// Nothing happens at build time, and importing the generation module opens no connection by itself.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs" && process.env.NEXT_PHASE !== "phase-production-build") {
    const { startGenerationSweeps } = await import("./server/generation/run-generation-job");
    startGenerationSweeps();
  }
}
