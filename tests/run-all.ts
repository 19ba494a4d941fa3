// npm test: lint, typecheck, unit, integration (real Postgres), build, end-to-end (Chromium).
// Runs every stage even after a failure, then prints one line "N passed, N failed" and exits non-zero on failure.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";

const root = path.resolve(__dirname, "..");
const results = path.join(root, "test-results");
mkdirSync(results, { recursive: true });
const bin = (name: string) => path.join(root, "node_modules", ".bin", name);
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };

type Count = { passed: number; failed: number };

function run(label: string, command: string, args: string[]): boolean {
  console.log(`\n━━ ${label} ━━`);
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", env });
  return result.status === 0;
}

function single(label: string, command: string, args: string[]): Count {
  const ok = run(label, command, args);
  return ok ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 };
}

function vitest(project: string): Count {
  const report = path.join(results, `${project}.json`);
  rmSync(report, { force: true });
  const ok = run(`${project} tests`, bin("vitest"), ["run", "--project", project, "--reporter=default", "--reporter=json", `--outputFile.json=${report}`]);
  if (!existsSync(report)) return { passed: 0, failed: 1 };
  const json = JSON.parse(readFileSync(report, "utf8"));
  const counted = { passed: json.numPassedTests, failed: json.numFailedTests };
  // A suite that failed to load has no failed test to count: count the run itself.
  return !ok && counted.failed === 0 ? { ...counted, failed: 1 } : counted;
}

function playwright(): Count {
  const report = path.join(results, "e2e.json");
  rmSync(report, { force: true });
  const ok = run("end-to-end tests", bin("playwright"), ["test"]);
  if (!existsSync(report)) return { passed: 0, failed: 1 };
  const stats = JSON.parse(readFileSync(report, "utf8")).stats;
  const counted = { passed: stats.expected + stats.flaky, failed: stats.unexpected };
  return !ok && counted.failed === 0 ? { ...counted, failed: 1 } : counted;
}

const counts: Count[] = [
  single("lint", bin("eslint"), ["--max-warnings", "0", "."]),
  single("typecheck", bin("tsc"), ["--noEmit"]),
  vitest("unit"),
  vitest("integration"),
];
const built = single("build", bin("next"), ["build"]);
counts.push(built);
counts.push(built.failed === 0 ? playwright() : { passed: 0, failed: 1 });

const total = counts.reduce((sum, c) => ({ passed: sum.passed + c.passed, failed: sum.failed + c.failed }), { passed: 0, failed: 0 });
console.log(`\n${total.passed} passed, ${total.failed} failed`);
process.exit(total.failed === 0 ? 0 : 1);
