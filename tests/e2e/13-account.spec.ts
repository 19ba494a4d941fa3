// The account page (issue 9): a user makes an API token (shown once), uses it, revokes it; changes their password
// (the old one required), which ends their sessions; an admin sees and revokes anyone's tokens on the people page.
// Screenshots at desktop and phone sizes.
import { expect, test } from "@playwright/test";
import { PASSWORD, USERS } from "./fixtures";
import { e2eState, gotoApp, signIn, waitForApp } from "./helpers";

const SCREENS = "test-results/screens";
const SIZES = [
  ["desktop", { width: 1440, height: 900 }],
  ["phone", { width: 390, height: 844 }],
] as const;

test("a user manages their own tokens and password on the account page", async ({ page, playwright, baseURL }) => {
  test.setTimeout(120_000);
  page.on("dialog", (dialog) => void dialog.accept());
  const { tokens } = e2eState();
  const request = await playwright.request.newContext({ baseURL });
  const email = `account-${Date.now().toString(36)}@e2e.test`;
  expect(
    (
      await request.post("/api/v1/users", {
        headers: { authorization: `Bearer ${tokens.admin}` },
        data: { email, role: "researcher", password: PASSWORD },
      })
    ).status(),
  ).toBe(201);

  await signIn(page, email);
  await page.getByRole("link", { name: /researcher/ }).click();
  await expect(page).toHaveURL(/\/account$/);
  await waitForApp(page);
  await expect(page.getByText("No API tokens yet.")).toBeVisible();
  await page.getByLabel("New token for").fill("nightly export");
  await page.getByRole("button", { name: "Create token" }).click();
  const shown = page.getByTestId("created-token");
  await expect(shown).toContainText("shown this once");
  const token = (await shown.locator("code").first().textContent())!.trim();
  expect(token).toMatch(/^pw_/);
  expect((await request.get("/api/v1/datasets", { headers: { authorization: `Bearer ${token}` } })).status()).toBe(200);
  await page.reload();
  await waitForApp(page);
  const row = page.getByTestId("token-table").getByRole("row", { name: /nightly export/ });
  await expect(row).toContainText(token.slice(0, 8));
  await expect(page.getByText(token)).toHaveCount(0); // never shown again
  await page.getByLabel("New token for").fill("notebook");
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(shown).toBeVisible();
  for (const [name, viewport] of SIZES) {
    await page.setViewportSize(viewport);
    await page.screenshot({ path: `${SCREENS}/account-${name}.png`, fullPage: true });
  }
  await page.setViewportSize(SIZES[0][1]);
  await row.getByRole("button", { name: /Revoke/ }).click();
  await expect(row).toContainText("revoked");
  expect((await request.get("/api/v1/datasets", { headers: { authorization: `Bearer ${token}` } })).status()).toBe(401);

  // Password: the current one is required; the change ends the session, and the new one signs in.
  const form = page.getByTestId("change-password-form");
  await form.getByLabel("Current password").fill("not my password");
  await form.getByLabel("New password", { exact: true }).fill("a brand new password");
  await form.getByLabel("New password again").fill("a brand new password");
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(form.getByRole("alert")).toContainText("currentPassword: is not your current password");
  const saved = await page.context().storageState();
  await form.getByLabel("Current password").fill(PASSWORD);
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(form.getByRole("status")).toContainText("Password changed");
  await expect(page).toHaveURL(/sign-in/, { timeout: 10_000 });
  const old = await playwright.request.newContext({ baseURL, storageState: saved });
  expect((await old.get("/api/v1/tokens")).status()).toBe(401);
  await waitForApp(page);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("a brand new password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/exports$/);
});

test("an admin sees everyone's tokens on the people page and revokes one", async ({ page, playwright, baseURL }) => {
  page.on("dialog", (dialog) => void dialog.accept());
  const request = await playwright.request.newContext({ baseURL });
  const { tokens } = e2eState();
  const made = await (
    await request.post("/api/v1/tokens", { headers: { authorization: `Bearer ${tokens.annotator2}` }, data: { name: "annotator2 script" } })
  ).json();
  await signIn(page, USERS.admin.email);
  await gotoApp(page, "/admin/people");
  const table = page.getByTestId("token-table");
  const row = table.getByRole("row", { name: /annotator2 script/ });
  await expect(row).toContainText(USERS.annotator2.email);
  await expect(row).toContainText(made.prefix);
  for (const [name, viewport] of SIZES) {
    await page.setViewportSize(viewport);
    await table.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SCREENS}/people-tokens-${name}.png`, fullPage: true });
  }
  await page.setViewportSize(SIZES[0][1]);
  await row.getByRole("button", { name: /Revoke/ }).click();
  await expect(row).toContainText("revoked");
  expect((await request.get("/api/v1/tokens", { headers: { authorization: `Bearer ${made.token}` } })).status()).toBe(401);
  const audit = await (
    await request.get(`/api/v1/audit?action=token.revoke&entityId=${made.id}`, { headers: { authorization: `Bearer ${tokens.admin}` } })
  ).json();
  expect(audit.entries).toHaveLength(1);
});
