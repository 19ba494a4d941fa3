// The insights page draws its charts from a batch of this spec's own: two annotators of one vendor judge every
// comparison (one always picks the left side, the other the longer answer), and the page shows throughput, degrees,
// position bias, agreement and the leaderboard as drawn charts, the safety chart's empty state (no safety labels
// here), the flagged annotator with the reason in words, and a CSV download of a chart's figures. Screenshots at
// 1440×900 and 390×844 (dark).
import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { judgeAll, makeAnnotatorWithToken, makeBatch, makeUser, signInAs } from "./own-setup";

const SCREENS = "test-results/screens";
const DRAWN = ["throughput", "degrees", "position-bias", "agreement", "leaderboard"];

test("insights: the charts are drawn from the judgements, with flags in words and CSV downloads", async ({ browser, request, baseURL }) => {
  test.setTimeout(120_000);
  // The second response is the longer one: the careful annotator prefers it wherever the screen puts it.
  const items = Array.from({ length: 24 }, (_, i) => ({
    prompt: `Insights prompt ${i}`,
    left: `Short ${i}.`,
    right: `A longer, more helpful answer to prompt ${i}.`,
  }));
  const batchId = await makeBatch(request, items, { overlap: 2 });
  const vendor = `Insights vendor ${randomUUID().slice(0, 6)}`;
  const biased = await makeAnnotatorWithToken(request, vendor);
  const careful = await makeAnnotatorWithToken(request, vendor);
  expect(await judgeAll(request, biased.token, batchId, () => ({ chosen: "left", degree: "better", timeSpentMs: 20_000 }))).toBe(24);
  expect(
    await judgeAll(request, careful.token, batchId, (task) => ({
      chosen: task.left.content.length > task.right.content.length ? "left" : "right",
      degree: "significantly_better",
      timeSpentMs: 30_000,
    })),
  ).toBe(24);

  const researcher = await makeUser(request, "researcher");
  const context = await browser.newContext({ baseURL, viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  await signInAs(page, researcher, `/insights?batch=${batchId}`);
  await expect(page.getByRole("heading", { level: 1, name: "Insights" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Insights" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByTestId("insights-totals")).toContainText("48");

  for (const id of DRAWN) {
    const card = page.getByTestId(`chart-${id}`);
    await expect(card.locator("svg.recharts-surface").first(), `${id} is drawn`).toBeVisible();
    expect(await card.locator(".recharts-bar-rectangle path, path.recharts-rectangle").count(), `${id} has bars`).toBeGreaterThan(0);
  }
  await expect(page.getByTestId("empty-safety")).toContainText("No judgements with safety labels");
  // The leaderboard's intervals are drawn as error bars.
  expect(await page.getByTestId("chart-leaderboard").locator(".recharts-errorBar").count()).toBeGreaterThan(0);

  // Every judgement preferred the longer answer (variant "own b") but the biased one's: it leads the matrix.
  await expect(page.getByTestId("win-rates").locator("tbody tr").first()).toContainText("own b");

  // The biased annotator is flagged, in words; the careful one is not.
  const checks = page.getByTestId("annotator-checks");
  await expect(checks.locator('tr[data-flagged="true"]')).toHaveCount(1);
  await expect(checks).toContainText("chose the left response 100% of the time (p < 0.001)");
  await expect(page.getByTestId("vendor-checks")).toContainText(vendor);

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("csv-throughput").click()]);
  expect(download.suggestedFilename()).toMatch(/^insights-throughput-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = await readFile((await download.path())!, "utf8");
  expect(csv).toMatch(/^day,judgements\r\n\d{4}-\d{2}-\d{2},48\r\n$/);
  await expect(page.getByTestId("csv-safety")).toBeDisabled();
  await page.screenshot({ path: `${SCREENS}/insights-desktop.png`, fullPage: true });

  // Bad input is named, the page stays.
  await page.goto(`/insights?batch=${batchId}&from=2026-02-01&to=2026-01-01`);
  await expect(page.getByTestId("insights-problem")).toContainText("to: must be after from");
  await context.close();

  const phone = await browser.newContext({ baseURL, viewport: { width: 390, height: 844 }, colorScheme: "dark", isMobile: true, hasTouch: true });
  const phonePage = await phone.newPage();
  await signInAs(phonePage, researcher, `/insights?batch=${batchId}`);
  await expect(phonePage.getByTestId("chart-leaderboard").locator("svg.recharts-surface").first()).toBeVisible();
  expect(await phonePage.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await phonePage.screenshot({ path: `${SCREENS}/insights-phone-dark.png`, fullPage: true });
  await phone.close();
});

test("insights: annotators may not open it", async ({ browser, request, baseURL }) => {
  const annotator = await makeUser(request, "annotator");
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await signInAs(page, annotator);
  await expect(page.getByRole("link", { name: "Insights" })).toHaveCount(0);
  const answer = await page.goto("/insights");
  expect(answer!.status()).toBe(403);
  await context.close();
});
