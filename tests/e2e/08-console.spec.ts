// The admin console end to end: a batch created from a prompts file on the page, two model variants picked,
// generation watched to 100%, activation; the guidelines edited with a live preview (saving shows v2); a fresh user
// created with a generated password, deactivated (cannot sign in) and reactivated (can); and the audit log filtered
// to find those actions. Only batches and users made here are touched.
import { expect, test, type Page } from "@playwright/test";
import { USERS } from "./fixtures";
import { e2eState, signIn, gotoApp } from "./helpers";

const SCREENS = "test-results/screens";

async function signInWith(page: Page, email: string, password: string) {
  await gotoApp(page, "/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("admin runs a batch from a prompts file, edits guidelines, manages a user and finds it all in the audit log", async ({ page, browser }) => {
  test.setTimeout(120_000);
  page.on("dialog", (dialog) => void dialog.accept());
  const consoleErrors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
  const { modelVariants } = e2eState();
  const stamp = Date.now().toString(36);
  const batchName = `Console prompts ${stamp}`;

  await signIn(page, USERS.admin.email);
  await expect(page).toHaveURL(/\/admin\/batches$/);
  const nav = page.getByRole("navigation", { name: "Main" });
  for (const label of ["Batches", "Model variants", "People", "Vendors", "Audit", "Exports"]) {
    await expect(nav.getByRole("link", { name: label, exact: true })).toBeVisible();
  }
  await expect(nav.getByRole("link", { name: "Annotate" })).toHaveCount(0);

  // 1. A batch from a prompts file.
  await page.getByLabel("Name").fill(batchName);
  await page.getByLabel("Prompt source").selectOption("imported");
  await page.getByLabel("Guidelines (markdown)").fill("# Console week\nPrefer **helpful** answers.");
  await page.screenshot({ path: `${SCREENS}/console-batches.png`, fullPage: true });
  await page.getByRole("button", { name: "Create batch" }).click();
  await expect(page).toHaveURL(/\/admin\/batches\/[^/#?]+$/);
  await expect(page.getByRole("heading", { name: batchName })).toBeVisible();
  const batchUrl = page.url();

  const prompts = ["How do tides work?", "Suggest a name for a grey cat.", "What is a haiku? Give one."]
    .map((prompt) => JSON.stringify({ prompt }))
    .join("\n");
  await page.getByLabel("Format").selectOption("prompts");
  await page.locator('input[type="file"]').setInputFiles({ name: "prompts.jsonl", mimeType: "application/x-ndjson", buffer: Buffer.from(prompts) });
  await page.getByRole("button", { name: "Import" }).click();
  await expect(page.getByTestId("import-result")).toContainText("Imported 3 prompts from 3 lines.");
  await expect(page.getByTestId("comparison-count")).toHaveText("3");
  await expect(page.getByTestId("lacking-responses")).toContainText("3 of 3 comparisons still lack their two responses");

  // Activation waits for the responses.
  await page.getByRole("button", { name: "Activate" }).click();
  await expect(page.getByText(/3 of 3 comparisons still lack their two responses; generate them/)).toBeVisible();

  // 2. Two model variants, then generation to 100%.
  await expect(page.getByTestId("start-generation")).toBeDisabled();
  for (const id of modelVariants.slice(0, 2)) await page.getByTestId(`pick-variant-${id}`).check();
  await page.getByTestId("save-model-variants").click();
  await expect(page.getByText("Saved: 2 model variants.")).toBeVisible();
  await page.getByTestId("start-generation").click();
  await expect(page.getByTestId("generation-percent")).toHaveText("100%", { timeout: 30_000 });
  await expect(page.getByRole("progressbar", { name: "Generation progress" })).toHaveAttribute("aria-valuenow", "100");
  await expect(page.getByTestId("lacking-responses")).toContainText("Every comparison has its two responses (3 in all).");
  await expect(page.getByTestId("generation-history")).toContainText("done · 3 done, 0 failed of 3");

  await page.getByRole("button", { name: "Activate" }).click();
  await expect(page.getByText("active", { exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "Pause" })).toBeVisible();

  // Items: search, then the read-only preview as annotators see it (with the model names, for admins).
  await page.getByLabel("Search prompts").fill("grey CAT");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByTestId("item-row")).toHaveCount(1);
  await expect(page.getByTestId("item-row")).toContainText("Suggest a name for a grey cat.");
  await page.getByTestId("item-row").getByRole("link", { name: "Preview" }).click();
  const preview = page.getByTestId("comparison-preview");
  await expect(preview.getByTestId("prompt")).toContainText("Suggest a name for a grey cat.");
  await expect(preview.getByTestId("response-left")).toContainText("Suggest a name for a grey cat.");
  await expect(preview.getByTestId("preview-model-0")).toContainText(/e2e-chat(-rlhf)? v1 · temperature/);
  await expect(preview.getByTestId("safety-left-safe")).toBeDisabled();
  await page.screenshot({ path: `${SCREENS}/console-preview.png`, fullPage: true });

  // 3. Guidelines: a live preview while typing; saving makes version 2 and keeps version 1.
  await gotoApp(page, batchUrl);
  const markdown = page.getByLabel("Guidelines markdown");
  await expect(markdown).toHaveValue("# Console week\nPrefer **helpful** answers.");
  await markdown.fill(`# Console rules ${stamp}\n\nPrefer **short** answers.\n\n- cite sources`);
  const livePreview = page.getByTestId("guidelines-preview");
  await expect(livePreview.getByRole("heading", { name: `Console rules ${stamp}` })).toBeVisible();
  await expect(livePreview.locator("strong")).toHaveText("short");
  await expect(livePreview.getByRole("listitem")).toHaveText("cite sources");
  await page.getByTestId("save-guidelines").click();
  await expect(page.getByTestId("guidelines-notice")).toHaveText("Saved as version 2.");
  await expect(page.getByTestId("guidelines-version")).toHaveText("v2");
  const versions = page.getByTestId("guideline-versions");
  await expect(versions.getByText("v2", { exact: true })).toBeVisible();
  await expect(versions.getByText("v1", { exact: true })).toBeVisible();
  await page.screenshot({ path: `${SCREENS}/console-batch.png`, fullPage: true });

  // 4. People: a fresh user with a generated password; deactivated, they cannot sign in; reactivated, they can.
  await nav.getByRole("link", { name: "People" }).click();
  await expect(page).toHaveURL(/\/admin\/people$/);
  const email = `console-${stamp}@e2e.test`;
  const form = page.getByTestId("create-user-form");
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Role").selectOption("annotator");
  await form.getByLabel("Vendor").selectOption("E2E Vendor");
  await form.getByRole("button", { name: "Create user" }).click();
  const generated = page.getByTestId("generated-password");
  await expect(generated).toHaveText(/^[A-Za-z0-9]{5}(-[A-Za-z0-9]{5}){3}$/);
  const password = (await generated.textContent())!;
  const row = page.getByTestId(`user-${email}`);
  await expect(row.getByTestId("user-status")).toHaveText("Active");
  await expect(row.getByLabel(`Vendor of ${email}`)).toHaveValue("E2E Vendor");

  await row.getByRole("button", { name: "Deactivate" }).click();
  // Asked first, confirmed after.
  await page
    .getByRole("dialog", { name: `Deactivate ${email}?` })
    .getByRole("button", { name: "Deactivate" })
    .click();
  await expect(row.getByTestId("user-status")).toHaveText("Deactivated");
  await expect(row.getByTestId("user-saved")).toHaveText("Deactivated.");
  await page.screenshot({ path: `${SCREENS}/console-people.png`, fullPage: true });
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await signInWith(otherPage, email, password);
  await expect(otherPage.getByText("Wrong email or password, or this account is deactivated.")).toBeVisible();
  await expect(otherPage).toHaveURL(/sign-in/);

  await row.getByRole("button", { name: "Reactivate" }).click();
  await expect(row.getByTestId("user-status")).toHaveText("Active");
  await signInWith(otherPage, email, password);
  await expect(otherPage).toHaveURL(/\/annotate$/);
  await other.close();

  // Vendors and model variants pages.
  await nav.getByRole("link", { name: "Vendors" }).click();
  await expect(page.getByTestId("vendor-E2E Vendor")).toBeVisible();
  await page.screenshot({ path: `${SCREENS}/console-vendors.png`, fullPage: true });
  await nav.getByRole("link", { name: "Model variants" }).click();
  const variantRow = page.getByTestId("variant-e2e-chat");
  await variantRow.getByRole("button", { name: "Test connection" }).click();
  await expect(variantRow.getByRole("status")).toContainText(/OK · \d+ ms/);
  await page.screenshot({ path: `${SCREENS}/console-model-variants.png`, fullPage: true });

  // 5. The audit log finds those actions.
  await nav.getByRole("link", { name: "Audit" }).click();
  const filters = page.getByTestId("audit-filters");
  await filters.getByLabel("Action").selectOption("user.deactivate");
  await filters.getByLabel("Who").selectOption(USERS.admin.email);
  await filters.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/action=user.deactivate/);
  const deactivation = page.getByTestId("audit-row").filter({ hasText: email });
  await expect(deactivation).toHaveCount(1);
  await expect(deactivation).toContainText("active: true → false");
  await page.screenshot({ path: `${SCREENS}/console-audit.png`, fullPage: true });

  await filters.getByLabel("Action").selectOption("user.reactivate");
  await filters.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByTestId("audit-row").filter({ hasText: email })).toContainText("active: false → true");

  await filters.getByLabel("Action").selectOption("batch.guidelines");
  await filters.getByLabel("Entity").selectOption("batch");
  await filters.getByRole("button", { name: "Filter" }).click();
  const guidelinesEntry = page.getByTestId("audit-row").filter({ hasText: `Console rules ${stamp}` });
  await expect(guidelinesEntry).toHaveCount(1);
  await expect(guidelinesEntry).toContainText("version: 1 → 2");

  // A safety batch's settings: the risk categories and attack vectors annotators pick from (looked at, not changed).
  await gotoApp(page, `/admin/batches/${e2eState().batches.safety}#settings`);
  await expect(page.getByTestId("risk-categories").getByRole("checkbox")).toHaveCount(3);
  await expect(page.getByTestId("attack-vectors").getByRole("checkbox", { checked: true })).toHaveCount(7);
  await page.screenshot({ path: `${SCREENS}/console-safety-batch.png`, fullPage: true });

  // Leave the batch paused: later specs' annotators never get its comparisons.
  await gotoApp(page, batchUrl);
  await page.getByRole("button", { name: "Pause" }).click();
  await expect(page.getByText("paused", { exact: true })).toBeVisible();
  expect(consoleErrors).toEqual([]);
});
