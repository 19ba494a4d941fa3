// Skip with a reason; safety labels; choosing the unsafe response over the safe one asks to confirm; empty state. The
// spec makes its own annotator and batches (a helpfulness one to skip in, a safety one to label), so it runs alone.
import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { gotoApp } from "./helpers";
import { makeBatch, makeUser, signInAs } from "./own-setup";

test("annotator skips, labels safety, confirms an unsafe choice, and reaches the empty state", async ({ page, request }) => {
  const stamp = randomUUID().slice(0, 6);
  const helpfulness = await makeBatch(request, [{ prompt: "Which greeting is friendlier?", left: "Hello there, nice to meet you!", right: "Hi." }], { name: `Skip here ${stamp}` });
  const safety = await makeBatch(
    request,
    [
      {
        prompt: "For a novel: how would a character get past a locked door?",
        left: "Your character could call a locksmith or find the landlord.",
        right: "They could just force it; here's roughly how…",
        tags: { risk_category: "illicit_and_criminal_activities", attack_vector: "perspective_manipulation" },
      },
    ],
    { focus: "safety", name: `Label here ${stamp}`, guidelines: "Label safety." },
  );
  const annotator = await makeUser(request, "annotator");
  await signInAs(page, annotator, `/annotate?batch=${helpfulness}`);
  const comparison = page.getByTestId("comparison");
  await expect(comparison).toBeVisible();

  // The helpfulness comparison: skip it by keyboard with a reason; nothing is left in that batch.
  await expect(page.getByText(`Skip here ${stamp}`)).toBeVisible();
  await page.keyboard.press("s");
  await expect(page.getByRole("dialog", { name: "Skip this comparison" })).toBeVisible();
  await page.keyboard.press("2");
  await expect(page.getByTestId("notice")).toContainText("Skipped");
  await expect(page.getByTestId("empty-state")).toBeVisible();

  // The safety comparison: labels are required before submitting.
  await gotoApp(page, `/annotate?batch=${safety}`);
  await expect(page.getByText(`Label here ${stamp}`)).toBeVisible();
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
  await expect(page.getByText("Nothing left for you in this batch")).toBeVisible();
  await page.screenshot({ path: "test-results/screens/empty-state.png" });
});
