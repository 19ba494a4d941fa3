// A lease that runs out while the page is open is reported; a judgement whose slot was taken meanwhile is
// refused with a clear message, not silently lost.
import { expect, test } from "@playwright/test";
import { USERS } from "./fixtures";
import { e2eState, signIn, gotoApp } from "./helpers";

test("an expired lease is reported, and a late judgement whose slot was taken is refused", async ({ page, playwright, baseURL }) => {
  const { tokens } = e2eState();
  const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${tokens.admin}` } });
  const created = await api.post("/api/v1/batches", {
    data: { name: "Short leases", focus: "helpfulness", overlap: 1, guidelines: "", leaseSeconds: 5 },
  });
  const { id } = await created.json();
  const line = JSON.stringify({
    prompt: "Lease prompt",
    responses: [
      { content: "one", model: { name: "m" } },
      { content: "two", model: { name: "m" } },
    ],
  });
  expect((await api.post(`/api/v1/batches/${id}/items`, { data: line })).status()).toBe(200);
  expect((await api.post(`/api/v1/batches/${id}/status`, { data: { status: "active" } })).status()).toBe(200);

  await signIn(page, USERS.annotator2.email);
  await gotoApp(page, `/annotate?batch=${id}`);
  await expect(page.getByTestId("prompt")).toContainText("Lease prompt");
  await expect(page.getByText("Your time on this comparison ran out")).toBeVisible({ timeout: 15_000 });

  // Meanwhile another annotator takes the freed slot.
  const other = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${tokens.annotator}` } });
  const claim = await other.post("/api/v1/tasks/claim", { data: { batchId: id } });
  expect(claim.status()).toBe(200);
  expect((await claim.json()).prompt).toBe("Lease prompt");

  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("3");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("notice")).toContainText("another annotator has taken it; this judgement was not recorded");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("empty-state")).toBeVisible();
  await api.dispose();
  await other.dispose();
});
