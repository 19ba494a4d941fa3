// A batch's generation follows its lifecycle on the console: an active batch gets new prompts, their generation
// runs against a slow endpoint, pausing the batch shows the job paused, resuming runs it again, and closing shows
// it cancelled. Desktop and phone screenshots of both states.
import { expect, test } from "@playwright/test";
import { USERS } from "./fixtures";
import { e2eState, gotoApp, signIn } from "./helpers";

const SCREENS = "test-results/screens";

test("the console shows a batch's generation paused with it, running again when it resumes, cancelled when it closes", async ({
  page,
  playwright,
  baseURL,
}) => {
  test.setTimeout(120_000);
  page.on("dialog", (dialog) => void dialog.accept());
  const { tokens, slowModelServer } = e2eState();
  const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${tokens.admin}` } });
  const stamp = Date.now().toString(36);

  // Through the API: two variants on the slow endpoint, an active batch, then prompts imported into it.
  const variantIds: string[] = [];
  for (const name of [`slow-a-${stamp}`, `slow-b-${stamp}`]) {
    const created = await api.post("/api/v1/model-variants", { data: { name, baseUrl: slowModelServer, modelId: name, maxConcurrency: 1 } });
    expect(created.status()).toBe(201);
    variantIds.push(((await created.json()) as { id: string }).id);
  }
  const batch = await api.post("/api/v1/batches", {
    data: { name: `Lifecycle ${stamp}`, focus: "helpfulness", overlap: 1, guidelines: "Pick one." },
  });
  const { id: batchId } = (await batch.json()) as { id: string };
  const complete = JSON.stringify({
    prompt: `A complete comparison ${stamp}`,
    responses: [
      { content: "One answer.", model: { name: "acme-chat", version: "v1" } },
      { content: "Another answer.", model: { name: "acme-chat", version: "v2" } },
    ],
  });
  expect((await api.post(`/api/v1/batches/${batchId}/items?format=pairwise`, { data: complete })).status()).toBe(200);
  expect((await api.post(`/api/v1/batches/${batchId}/status`, { data: { status: "active" } })).status()).toBe(200);
  const prompts = Array.from({ length: 8 }, (_, i) => JSON.stringify({ prompt: `Lifecycle prompt ${i} ${stamp}` })).join("\n");
  expect((await api.post(`/api/v1/batches/${batchId}/items?format=prompts`, { data: prompts })).status()).toBe(200);
  expect((await api.put(`/api/v1/batches/${batchId}/model-variants`, { data: { modelVariantIds: variantIds } })).status()).toBe(200);

  await signIn(page, USERS.admin.email);
  await gotoApp(page, `/admin/batches/${batchId}`);
  await expect(page.getByTestId("lacking-responses")).toContainText("8 of 9 comparisons still lack their two responses");
  await page.getByTestId("start-generation").click();
  await expect(page.getByTestId("generation-job-status")).toHaveText(/Job (queued|running)/);

  // Pausing the batch pauses its generation.
  await page.getByRole("button", { name: "Pause" }).click();
  await expect(page.getByTestId("generation-job-status")).toHaveText("Job paused");
  await expect(page.getByTestId("generation-job-note")).toContainText("Paused with the batch");
  await expect(page.getByTestId("start-generation")).toBeDisabled();
  await expect(page.getByText("The batch is paused: resume it to generate.")).toBeVisible();
  const paused = (await (await api.get(`/api/v1/batches/${batchId}/generation`)).json()) as { job: { status: string; done: number } };
  expect(paused.job.status).toBe("paused");
  await page.getByTestId("generation-panel").scrollIntoViewIfNeeded();
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.screenshot({ path: `${SCREENS}/generation-paused-desktop.png`, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByTestId("generation-panel").screenshot({ path: `${SCREENS}/generation-paused-phone.png` });
  await page.setViewportSize({ width: 1440, height: 900 });

  // Resuming it carries on.
  await page.getByRole("button", { name: "Resume" }).click();
  await expect(page.getByTestId("generation-job-status")).toHaveText(/Job (queued|running)/);
  await expect(page.getByTestId("generation-job-note")).toHaveCount(0);

  // Closing it cancels the job: nothing more is stored.
  await page.getByRole("button", { name: "Close" }).click();
  await expect(page.getByTestId("generation-job-status")).toHaveText("Job cancelled");
  await expect(page.getByTestId("generation-job-note")).toContainText("the batch was closed");
  await expect(page.getByTestId("start-generation")).toHaveCount(0);
  const cancelled = (await (await api.get(`/api/v1/batches/${batchId}/generation`)).json()) as {
    job: { status: string; done: number };
    lackingResponses: number;
  };
  expect(cancelled.job.status).toBe("cancelled");
  await page.waitForTimeout(2500); // longer than an answer of the slow endpoint takes
  const later = (await (await api.get(`/api/v1/batches/${batchId}/generation`)).json()) as { job: { done: number }; lackingResponses: number };
  expect(later.job.done).toBe(cancelled.job.done);
  expect(later.lackingResponses).toBe(cancelled.lackingResponses);
  await page.screenshot({ path: `${SCREENS}/generation-cancelled-desktop.png`, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByTestId("generation-panel").screenshot({ path: `${SCREENS}/generation-cancelled-phone.png` });
  await api.dispose();
});
