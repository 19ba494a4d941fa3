// Skip with a reason; safety labels; choosing the unsafe response over the safe one asks to confirm; empty state.
import { expect, test } from "@playwright/test";
import { USERS } from "./fixtures";
import { signIn } from "./helpers";

test("annotator skips, labels safety, confirms an unsafe choice, and reaches the empty state", async ({ page }) => {
  await signIn(page, USERS.annotator2.email);
  const comparison = page.getByTestId("comparison");
  await expect(comparison).toBeVisible();

  // The last helpfulness comparison: skip it by keyboard with a reason.
  await expect(page.getByText("E2E helpfulness")).toBeVisible();
  await page.keyboard.press("s");
  await expect(page.getByRole("dialog", { name: "Skip this comparison" })).toBeVisible();
  await page.keyboard.press("2");
  await expect(page.getByTestId("notice")).toContainText("Skipped");

  // The safety comparison: labels are required before submitting.
  await expect(page.getByText("E2E safety")).toBeVisible();
  await page.keyboard.press("ArrowLeft");
  await page.keyboard.press("1");
  await expect(page.getByTestId("submit")).toBeDisabled();
  await page.keyboard.press("w"); // A unsafe
  await page.keyboard.press("o"); // B safe
  await expect(page.getByTestId("safety-bin")).toContainText("Chosen unsafe, other safe");
  await page.keyboard.press("Enter");
  const confirm = page.getByRole("dialog", { name: "Choose the unsafe response?" });
  await expect(confirm).toBeVisible();
  await page.screenshot({ path: "test-results/screens/confirm-unsafe.png" });
  await page.keyboard.press("Escape");
  await expect(confirm).toBeHidden();
  await page.keyboard.press("Enter");
  await expect(confirm).toBeVisible();
  await page.keyboard.press("Enter");

  await expect(page.getByTestId("empty-state")).toBeVisible();
  await expect(page.getByText("Nothing left to judge right now")).toBeVisible();
  await page.screenshot({ path: "test-results/screens/empty-state.png" });
});
