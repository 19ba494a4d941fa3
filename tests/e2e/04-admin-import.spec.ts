// An admin creates a batch on the page, uploads a file with a bad line (nothing imported, the line named),
// then a good one, and activates the batch.
import { expect, test } from "@playwright/test";
import { USERS } from "./fixtures";
import { signIn } from "./helpers";

const item = (i: number) =>
  JSON.stringify({
    prompt: `Upload prompt ${i}`,
    responses: [
      { content: `first ${i}`, model: { name: "m", version: "1" } },
      { content: `second ${i}`, model: { name: "m", version: "2" } },
    ],
  });

test("admin creates a batch, sees a bad upload refused line by line, imports and activates", async ({ page }) => {
  await signIn(page, USERS.admin.email);
  await expect(page).toHaveURL(/\/admin\/batches$/);
  await page.getByLabel("Name").fill("Week 48 helpfulness");
  await page.getByLabel("Judgements per comparison (overlap)").fill("2");
  await page.getByLabel("Guidelines (markdown)").fill("# Week 48\nPrefer **correct** answers.");
  await page.getByRole("button", { name: "Create batch" }).click();
  await expect(page).toHaveURL(/\/admin\/batches\/[^/]+$/);
  await expect(page.getByRole("heading", { name: "Week 48 helpfulness" })).toBeVisible();

  // Activating an empty batch is refused with a reason.
  await page.getByRole("button", { name: "Activate" }).click();
  await expect(page.getByText("Import comparisons before activating the batch.")).toBeVisible();

  const upload = async (name: string, content: string) => {
    await page.locator('input[type="file"]').setInputFiles({ name, mimeType: "application/x-ndjson", buffer: Buffer.from(content) });
    await page.getByRole("button", { name: "Import" }).click();
  };
  await upload("bad.jsonl", [item(1), '{"prompt": "only a prompt"}', item(3)].join("\n"));
  await expect(page.getByTestId("import-error")).toContainText("1 invalid line; nothing was imported.");
  await expect(page.getByTestId("import-error")).toContainText("line 2: responses:");
  await expect(page.getByTestId("comparison-count")).toHaveText("0");

  await upload("good.jsonl", [item(1), item(2), item(3)].join("\n"));
  await expect(page.getByTestId("import-result")).toContainText("Imported 3 comparisons from 3 lines.");
  await expect(page.getByTestId("comparison-count")).toHaveText("3");
  await page.screenshot({ path: "test-results/screens/batch-page.png", fullPage: true });

  await page.getByRole("button", { name: "Activate" }).click();
  await expect(page.getByText("active", { exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "Pause" })).toBeVisible();
});
