// npm test's closing lines (tests/support/run-summary.ts): stages apart from tests, tests counted from the runners'
// own reports, and every way a run can go wrong ending in a failure.
import { describe, expect, it } from "vitest";
import { fromPlaywright, fromVitest, summarise } from "../support/run-summary";

const vitestReport = (passed: number, failed: number, failedFiles = 0) => ({
  numPassedTests: passed,
  numFailedTests: failed,
  numPendingTests: 1,
  numTodoTests: 0,
  numFailedTestSuites: failedFiles,
});
const playwrightReport = (expected: number, unexpected: number, flaky = 0) => ({ stats: { expected, unexpected, flaky, skipped: 0 } });
const ok = [
  { name: "lint", ok: true },
  { name: "typecheck", ok: true },
  { name: "build", ok: true },
];

describe("summarise", () => {
  it("counts tests only, with stages on their own line", () => {
    const summary = summarise(ok, [
      fromVitest("unit", vitestReport(10, 0), true),
      fromVitest("integration", vitestReport(20, 0), true),
      fromPlaywright("e2e", playwrightReport(5, 0, 1), true),
    ]);
    expect(summary.lines).toEqual([
      "stages: lint ok, typecheck ok, build ok",
      "unit: 10 passed, 0 failed, 1 skipped",
      "integration: 20 passed, 0 failed, 1 skipped",
      "e2e: 6 passed, 0 failed",
      "36 passed, 0 failed",
    ]);
    expect(summary.ok).toBe(true);
  });

  it("fails on a failed stage, though it adds nothing to the test counts", () => {
    const summary = summarise([{ name: "lint", ok: false }, ...ok.slice(1)], [fromVitest("unit", vitestReport(3, 0), true)]);
    expect(summary.lines[0]).toBe("stages: lint FAILED, typecheck ok, build ok");
    expect(summary.lines.at(-1)).toBe("3 passed, 0 failed");
    expect(summary.ok).toBe(false);
  });

  it("fails on a failed test", () => {
    const summary = summarise(ok, [fromVitest("unit", vitestReport(3, 2), false)]);
    expect(summary.lines.at(-1)).toBe("3 passed, 2 failed");
    expect(summary.ok).toBe(false);
  });

  it("fails, naming the problem, when a run fails with no failing test or writes no report", () => {
    const unloaded = fromVitest("integration", vitestReport(7, 0, 1), false);
    expect(unloaded.problem).toBe("the run failed with no failing test (1 failed suite(s): a file that did not load?)");
    const noServer = fromPlaywright(
      "e2e",
      { ...playwrightReport(0, 0), errors: [{ message: "Error: Timed out waiting 180000ms from config.webServer.\n at …" }] },
      false,
    );
    expect(noServer.problem).toBe("the run failed with no failing test: Error: Timed out waiting 180000ms from config.webServer.");
    const summary = summarise(ok, [unloaded, noServer, fromVitest("unit", null, false)]);
    expect(summary.lines.slice(1)).toEqual([
      "integration: 7 passed, 0 failed, 1 skipped (the run failed with no failing test (1 failed suite(s): a file that did not load?))",
      "e2e: 0 passed, 0 failed (the run failed with no failing test: Error: Timed out waiting 180000ms from config.webServer.)",
      "unit: 0 passed, 0 failed (no report was written)",
      "7 passed, 0 failed",
    ]);
    expect(summary.ok).toBe(false);
  });
});
