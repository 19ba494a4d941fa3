// npm run bench:human-loop — from Enter to the next comparison on screen, in Chromium, keyboard only (issue 8,
// point 2). A batch of 20,000 comparisons; an annotator judges 120 of them with three keys each. The page marks the
// moment Enter goes down and the moment the next assignment's comparison has been committed and painted (a
// mutation of data-assignment-id, then the next animation frame). Goal: p95 ≤ 150 ms. BENCH_JUDGEMENTS and
// BENCH_COMPARISONS change the sizes; BENCH_KEEP=1 keeps the database.
import path from "node:path";
import pg from "pg";
import { chromium } from "@playwright/test";
import { createTestDatabase, dropTestDatabase, uniqueDatabaseName } from "../../tests/support/test-database";
import { fillBatch } from "../../tests/support/fill-batch";
import { CHROMIUM_ARGS, chromiumPath } from "../../tests/support/chromium";
import { describeMachine, finishBench, latencySummary } from "../support/report";
import { ROOT, ensureBuilt, startNextServer } from "../support/next-server";

const COMPARISONS = Number(process.env.BENCH_COMPARISONS ?? 20_000);
const JUDGEMENTS = Number(process.env.BENCH_JUDGEMENTS ?? 120);
const WARM_UP = 10;
const PASSWORD = "human-loop-password";

type LoopWindow = Window & { __enterAt?: number; __lastId?: string | null; __marks: number[] };

async function main() {
  ensureBuilt();
  const name = uniqueDatabaseName("pairwise_loop");
  const databaseUrl = await createTestDatabase(name);
  let stopServer: (() => Promise<void>) | null = null;
  try {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    console.error(`filling ${COMPARISONS.toLocaleString("en")} comparisons`);
    const filled = await fillBatch(client, {
      prefix: "loop",
      comparisons: COMPARISONS,
      overlap: 2,
      full: Math.floor(COMPARISONS / 2),
      annotators: 10,
    });
    await client.end();
    process.env.DATABASE_URL = databaseUrl;
    process.env.NEXTAUTH_SECRET ??= "bench-secret-0123456789abcdef";
    const { createUser } = await import("../../server/users/create-user");
    const { disconnectDb } = await import("../../server/db");
    await createUser(null, { email: "loop@bench.test", password: PASSWORD, role: "annotator" });
    await disconnectDb();
    const machine = await describeMachine(databaseUrl);

    const server = await startNextServer({ port: 3406, databaseUrl });
    stopServer = server.stop;
    const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(`${server.url}/sign-in`);
    await page.locator('html[data-hydrated="true"]').waitFor({ state: "attached" });
    await page.getByLabel("Email").fill("loop@bench.test");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/annotate/);
    await page.goto(`${server.url}/annotate?batch=${filled.batchId}`);
    await page.locator('html[data-hydrated="true"]').waitFor({ state: "attached" });
    await page.getByTestId("comparison").waitFor();

    // The page's own clock: Enter down → the next assignment committed to the DOM → the frame after it is painted.
    await page.evaluate(() => {
      const w = window as unknown as LoopWindow;
      w.__marks = [];
      w.__lastId = document.querySelector("[data-testid=comparison]")?.getAttribute("data-assignment-id");
      document.addEventListener(
        "keydown",
        (event) => {
          if (event.key === "Enter") w.__enterAt = performance.now();
        },
        true,
      );
      new MutationObserver(() => {
        const id = document.querySelector("[data-testid=comparison]")?.getAttribute("data-assignment-id") ?? null;
        if (!id || id === w.__lastId) return;
        w.__lastId = id;
        const enterAt = w.__enterAt;
        if (enterAt === undefined) return;
        w.__enterAt = undefined;
        requestAnimationFrame(() => setTimeout(() => w.__marks.push(performance.now() - enterAt), 0));
      }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-assignment-id"] });
    });

    const degrees = ["1", "2", "3", "4"];
    for (let i = 0; i < JUDGEMENTS + WARM_UP; i++) {
      await page.keyboard.press(i % 2 ? "ArrowRight" : "ArrowLeft");
      await page.keyboard.press(degrees[i % 4]);
      await page.keyboard.press("Enter");
      await page.waitForFunction((n) => (window as unknown as LoopWindow).__marks.length > n, i, { timeout: 15_000 });
    }
    const marks = (await page.evaluate(() => (window as unknown as LoopWindow).__marks)).slice(WARM_UP);
    await browser.close();
    const summary = latencySummary(marks);
    const figures = { comparisons: COMPARISONS, judgements: JUDGEMENTS, warmUp: WARM_UP, viewport: "1440x900", enterToNextMs: summary };
    console.log(JSON.stringify(figures, null, 2));
    process.exitCode = finishBench(path.join(ROOT, "bench", "human-loop"), machine, figures, [
      { name: "Enter → next comparison on screen, p95 (ms)", value: summary.p95, limit: 150, kind: "max" },
    ]);
  } finally {
    await stopServer?.();
    if (process.env.BENCH_KEEP !== "1") await dropTestDatabase(name);
    else console.error(`kept database ${name}`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
