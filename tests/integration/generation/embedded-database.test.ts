// Generation on the embedded database of `npm start` (PGlite, one session shared by every connection): a job runs to
// done, and a job whose batch closes midway is cancelled with nothing stored after the close. In a process of its
// own (tests/support/embedded-generation.ts): server/db binds to one database per process.
import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

function runEmbeddedGeneration(): Promise<{ code: number | null; lines: Record<string, unknown>[]; stderr: string }> {
  const root = path.resolve(__dirname, "..", "..", "..");
  const child = spawn(process.execPath, ["--import", "tsx", "tests/support/embedded-generation.ts"], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr = (stderr + chunk).slice(-10_000)));
  return new Promise((resolve) =>
    child.on("exit", (code) =>
      resolve({
        code,
        stderr,
        lines: stdout
          .split("\n")
          .filter((l) => l.startsWith("{"))
          .map((l) => JSON.parse(l) as Record<string, unknown>),
      }),
    ),
  );
}

describe("generation on the embedded database", () => {
  it("runs a job to done and cancels one whose batch closes, storing nothing after the close", async () => {
    const { code, lines, stderr } = await runEmbeddedGeneration();
    expect(code, stderr).toBe(0);
    expect(lines[0]).toEqual({ label: "done", status: "done", done: 20, failed: 0, responses: 40 });
    expect(lines[1]).toMatchObject({ label: "closed", status: "cancelled" });
    expect(lines[1].responsesLater).toBe(lines[1].responsesAtClose);
    expect(lines[1].responsesAtClose as number).toBeLessThan(120);
  }, 120_000);
});
