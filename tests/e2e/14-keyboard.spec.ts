// Correct by keyboard: Enter on a focused control does that control's job and submits only from no control (or
// Submit); dialogs take focus, keep it inside, close with Escape and give it back; "Go back" and Escape record
// nothing; a reload keeps the choices made for the task on screen.
import { expect, test } from "@playwright/test";
import { judgementsOf, makeBatch, makeUser, signInAs } from "./own-setup";

const SCREENS = "test-results/screens";

test("Enter on a control does its job, dialogs hold the focus, and nothing is recorded by going back", async ({ page, request }) => {
  const email = await makeUser(request, "annotator");
  const batchId = await makeBatch(
    request,
    [1, 2, 3].map((i) => ({ prompt: `Keyboard prompt ${i}`, left: `Left answer ${i}`, right: `Right answer ${i}` })),
    { focus: "safety" },
  );
  await signInAs(page, email, `/annotate?batch=${batchId}`);
  const comparison = page.getByTestId("comparison");
  const first = await comparison.getAttribute("data-assignment-id");

  // Enter on the focused A button chooses A (the button's job), and submits nothing.
  await page.getByTestId("choose-left").focus();
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("choose-left")).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByTestId("notice")).toHaveCount(0);

  // Enter on the focused Skip button opens the skip dialog, which takes the focus and keeps it through Tab.
  await page.getByTestId("skip").focus();
  await page.keyboard.press("Enter");
  const skipDialog = page.getByRole("dialog", { name: "Skip this comparison" });
  await expect(skipDialog).toBeVisible();
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => !!document.activeElement?.closest("dialog"))).toBe(true);
  }
  await page.screenshot({ path: `${SCREENS}/skip-dialog.png` });
  await page.keyboard.press("Escape");
  await expect(skipDialog).toBeHidden();
  await expect(page.getByTestId("skip")).toBeFocused();
  expect(await judgementsOf(request, batchId)).toBe(0);

  // The unsafe-over-safe confirmation: Tab to "Go back" and Enter records nothing; Escape neither.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press("ArrowLeft");
  await page.keyboard.press("2");
  await page.keyboard.press("w");
  await page.keyboard.press("o");
  await page.keyboard.press("Enter");
  const confirm = page.getByRole("dialog", { name: "Choose the unsafe response?" });
  await expect(confirm).toBeVisible();
  await expect(page.getByTestId("unsafe-confirm")).toBeFocused();
  await page.keyboard.press("Shift+Tab");
  await expect(page.getByTestId("unsafe-go-back")).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(confirm).toBeHidden();
  await page.keyboard.press("Enter");
  await expect(confirm).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(confirm).toBeHidden();
  expect(await judgementsOf(request, batchId)).toBe(0);
  await expect(comparison).toHaveAttribute("data-assignment-id", first!);

  // A reload keeps the side, degree and safety labels chosen for this task.
  await page.reload();
  await page.locator('html[data-hydrated="true"]').waitFor({ state: "attached" });
  await expect(comparison).toHaveAttribute("data-assignment-id", first!);
  await expect(page.getByTestId("choose-left")).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByTestId("degree-better")).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByTestId("safety-left-unsafe")).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByTestId("safety-right-safe")).toHaveAttribute("aria-pressed", "true");

  // Enter from no control, then Enter on the confirmation's focused "Yes, submit": recorded once.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press("Enter");
  await expect(confirm).toBeVisible();
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("notice")).toContainText("Saved: A better.");
  await expect(comparison).not.toHaveAttribute("data-assignment-id", first!);
  expect(await judgementsOf(request, batchId)).toBe(1);

  // Enter on the focused Submit button submits once (its click), not twice.
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("1");
  await page.keyboard.press("q");
  await page.keyboard.press("o");
  await page.getByTestId("submit").focus();
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("notice")).toContainText("Saved: B significantly better.");
  expect(await judgementsOf(request, batchId)).toBe(2);
});
