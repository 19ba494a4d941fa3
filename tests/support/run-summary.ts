// What `npm test` (tests/run-all.ts) prints at the end and whether it failed: stages (lint, typecheck, build) as
// stages, tests counted from vitest's and Playwright's own JSON reports, and a run that failed without a failing test
// (a file that did not load, a server that did not start) named as a problem, never counted as a test.

export type Suite = { name: string; passed: number; failed: number; skipped: number; problem: string | null };
export type Stage = { name: string; ok: boolean };

/** vitest's JSON report (--reporter=json), or null when none was written; `ok` is whether the run exited 0. */
export function fromVitest(name: string, report: Record<string, number> | null, ok: boolean): Suite {
  if (!report) return { name, passed: 0, failed: 0, skipped: 0, problem: "no report was written" };
  const suite: Suite = {
    name,
    passed: report.numPassedTests,
    failed: report.numFailedTests,
    skipped: report.numPendingTests + report.numTodoTests,
    problem: null,
  };
  if (!ok && suite.failed === 0)
    suite.problem = `the run failed with no failing test (${report.numFailedTestSuites} failed suite(s): a file that did not load?)`;
  return suite;
}

/** Playwright's JSON report (reporter "json"), or null when none was written; `ok` is whether the run exited 0. */
export function fromPlaywright(name: string, report: { stats: Record<string, number>; errors?: { message?: string }[] } | null, ok: boolean): Suite {
  if (!report) return { name, passed: 0, failed: 0, skipped: 0, problem: "no report was written" };
  const { stats, errors } = report;
  const suite: Suite = { name, passed: stats.expected + stats.flaky, failed: stats.unexpected, skipped: stats.skipped, problem: null };
  const first = errors?.[0]?.message?.split("\n")[0];
  if (!ok && suite.failed === 0) suite.problem = `the run failed with no failing test${first ? `: ${first}` : ""}`;
  return suite;
}

/** The closing lines, the last one "N passed, M failed" over tests only, and whether everything passed. */
export function summarise(stages: Stage[], suites: Suite[]): { lines: string[]; ok: boolean } {
  const lines = [`stages: ${stages.map((s) => `${s.name} ${s.ok ? "ok" : "FAILED"}`).join(", ")}`];
  for (const suite of suites) {
    const skipped = suite.skipped ? `, ${suite.skipped} skipped` : "";
    lines.push(`${suite.name}: ${suite.passed} passed, ${suite.failed} failed${skipped}${suite.problem ? ` (${suite.problem})` : ""}`);
  }
  const passed = suites.reduce((sum, s) => sum + s.passed, 0);
  const failed = suites.reduce((sum, s) => sum + s.failed, 0);
  lines.push(`${passed} passed, ${failed} failed`);
  return { lines, ok: stages.every((s) => s.ok) && failed === 0 && suites.every((s) => s.problem === null) };
}
