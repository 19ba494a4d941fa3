// An annotator judges three comparisons by keyboard only; a researcher downloads the export and finds them.
import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { USERS } from "./fixtures";
import { e2eState, signIn, signOut } from "./helpers";

test("annotator judges three comparisons by keyboard; researcher exports them", async ({ page }) => {
  const dialogs: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await signIn(page, USERS.annotator.email);
  await expect(page).toHaveURL(/\/annotate$/);
  const comparison = page.getByTestId("comparison");
  await expect(comparison).toBeVisible();

  // The first comparison holds <img onerror> and <script>: shown as text, never run.
  await expect(page.getByText('<img src=x onerror="window.__pwned=1">')).toBeVisible();
  await expect(page.locator("article img")).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  // Guidelines are collapsible and keep their <script> inert too.
  await page.keyboard.press("g");
  await expect(page.getByText("<script>alert(1)</script>")).toBeVisible();
  await page.keyboard.press("g");

  const judged: string[] = [];
  const keys: [string, string][] = [
    ["ArrowLeft", "1"],
    ["ArrowRight", "2"],
    ["ArrowLeft", "4"],
  ];
  for (const [side, degree] of keys) {
    const assignmentId = (await comparison.getAttribute("data-assignment-id"))!;
    judged.push(assignmentId);
    // Three keystrokes: side, degree, submit.
    await page.keyboard.press(side);
    await page.keyboard.press(degree);
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("notice")).toContainText("Saved");
    await expect(page.locator(`[data-assignment-id="${assignmentId}"]`)).toHaveCount(0);
  }
  await expect(page.getByTestId("progress")).toContainText("Judged today 3");
  expect(dialogs).toEqual([]);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  await page.screenshot({ path: "test-results/screens/annotate.png", fullPage: false });

  await signOut(page);
  await signIn(page, USERS.researcher.email);
  await expect(page).toHaveURL(/\/exports$/);
  const { batches } = e2eState();
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId(`download-${batches.helpfulness}`).click()]);
  expect(download.suggestedFilename()).toBe("e2e-helpfulness.canonical.jsonl");
  const records = readFileSync((await download.path())!, "utf8")
    .trimEnd()
    .split("\n")
    .map((line) => JSON.parse(line));
  expect(records).toHaveLength(3);
  // Exports are ordered by dialogue; put them back in the order they were judged.
  records.sort((a, b) => a.created_at.localeCompare(b.created_at));
  expect(records.map((r) => r.degree)).toEqual(["significantly_better", "better", "negligibly_better_or_unsure"]);
  for (const record of records) {
    expect(record.annotator).toMatch(/^ann_[0-9a-f]{16}$/);
    expect(JSON.stringify(record)).not.toContain(USERS.annotator.email);
  }
  expect(
    records.some((record) =>
      record.responses.some((response: { content: string }) => response.content.includes("<script>window.__pwned=2</script>")),
    ),
  ).toBe(true);
});
