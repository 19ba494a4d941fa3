// End-to-end tests in a real Chromium against `next start` on a fresh, migrated database (tests/e2e/serve.ts).
import { defineConfig } from "@playwright/test";
import { uniqueDatabaseName } from "./tests/support/test-database";
import { CHROMIUM_ARGS, chromiumPath } from "./tests/support/chromium";

const port = Number(process.env.E2E_PORT ?? 3123);
const baseURL = `http://127.0.0.1:${port}`;
// Set once in the main process; workers inherit it.
process.env.E2E_DATABASE_NAME ??= uniqueDatabaseName("pairwise_e2e");

export default defineConfig({
  testDir: "tests/e2e",
  testMatch: /.*\.spec\.ts/,
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  outputDir: "test-results/e2e",
  reporter: [["list"], ["json", { outputFile: "test-results/e2e.json" }]],
  globalTeardown: "./tests/e2e/global-teardown.ts",
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: chromiumPath(),
      // This network reaches nothing outside; keep Chromium from trying.
      args: CHROMIUM_ARGS,
    },
  },
  webServer: {
    command: "npx tsx tests/e2e/serve.ts",
    url: `${baseURL}/sign-in`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: { E2E_PORT: String(port), E2E_DATABASE_NAME: process.env.E2E_DATABASE_NAME, NEXT_TELEMETRY_DISABLED: "1" },
  },
});
