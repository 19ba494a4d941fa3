// Runs once when the Next.js server starts: generation jobs interrupted by the last stop carry on.
// Nothing happens at build time, and importing the generation module opens no connection by itself.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs" && process.env.NEXT_PHASE !== "phase-production-build") {
    const { resumeGenerationJobs } = await import("./server/generation/run-generation-job");
    void resumeGenerationJobs();
  }
}
