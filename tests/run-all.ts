// npm test: format, lint, typecheck, unit, integration (real Postgres), build, end-to-end (Chromium).
// Runs every stage even after a failure. Stages (format, lint, typecheck, build) are reported as stages, never as tests;
// "N passed, M failed" counts tests only (tests/support/run-summary.ts). Exits non-zero if a stage failed, a test
// failed, or a test run failed without a failing test.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { fromPlaywright, fromVitest, summarise, type Stage, type Suite } from "./support/run-summary";

const root = path.resolve(__dirname, "..");
const results = path.join(root, "test-results");
mkdirSync(results, { recursive: true });
const bin = (name: string) => path.join(root, "node_modules", ".bin", name);
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };

function run(label: string, command: string, args: string[]): boolean {
  console.log(`\n━━ ${label} ━━`);
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", env });
  return result.status === 0;
}

function readReport(file: string) {
  return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : null;
}

function vitest(project: string): Suite {
  const report = path.join(results, `${project}.json`);
  rmSync(report, { force: true });
  const ok = run(`${project} tests`, bin("vitest"), [
    "run",
    "--project",
    project,
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${report}`,
  ]);
  return fromVitest(project, readReport(report), ok);
}

function playwright(): Suite {
  const report = path.join(results, "e2e.json"); // playwright.config.ts writes it there
  rmSync(report, { force: true });
  const ok = run("end-to-end tests", bin("playwright"), ["test"]);
  return fromPlaywright("e2e", readReport(report), ok);
}

const stages: Stage[] = [];
const suites: Suite[] = [];
stages.push({ name: "format", ok: run("format", bin("prettier"), ["--check", "--log-level", "warn", "."]) });
stages.push({ name: "lint", ok: run("lint", bin("eslint"), ["--max-warnings", "0", "."]) });
stages.push({ name: "typecheck", ok: run("typecheck", bin("tsc"), ["--noEmit"]) });
suites.push(vitest("unit"), vitest("integration"));
const built = run("build", bin("next"), ["build"]);
stages.push({ name: "build", ok: built });
suites.push(built ? playwright() : { name: "e2e", passed: 0, failed: 0, skipped: 0, problem: "not run: the build failed" });

const { lines, ok } = summarise(stages, suites);
console.log(`\n${lines.join("\n")}`);
process.exit(ok ? 0 : 1);
