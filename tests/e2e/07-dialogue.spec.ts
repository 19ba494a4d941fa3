// An annotator writes a prompt, watches two models answer it live in both columns, judges by keyboard, writes a
// second turn that continues with the chosen response, judges, ends the dialogue; the export holds both turns of
// the one dialogue, the first chosen response inside the second's context.
import { expect, test, type Locator } from "@playwright/test";
import { USERS } from "./fixtures";
import { e2eState, signIn, gotoApp } from "./helpers";

const FIRST_PROMPT =
  "Plan a calm Sunday for two people in a small seaside town, with a slow breakfast, a walk along the harbour, " +
  "a museum or bookshop after lunch, and an early dinner somewhere quiet; keep it short and friendly please.";
const SECOND_PROMPT = "Make the afternoon rainy-day proof, and suggest where to have tea.";

/** Waits until the column is streaming, then until more text has arrived: the text comes in progressively. */
async function expectProgressiveText(column: Locator): Promise<void> {
  await expect(column).toHaveAttribute("data-status", "streaming");
  const early = (await column.innerText()).length;
  await expect.poll(async () => (await column.innerText()).length, { intervals: [100] }).toBeGreaterThan(early + 20);
}

test("an annotator writes a two-turn dialogue, judging live-sampled pairs, and the export holds it", async ({ page, playwright, baseURL }) => {
  const { tokens, modelVariants } = e2eState();
  const admin = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${tokens.admin}` } });
  const created = await admin.post("/api/v1/batches", {
    data: {
      name: "E2E written dialogues",
      focus: "helpfulness",
      overlap: 1,
      guidelines: "Choose the **more helpful** answer.",
      promptSource: "annotator_written",
      maxTurns: 3,
    },
  });
  expect(created.status()).toBe(201);
  const { id } = await created.json();
  // No comparisons, no variants yet: activation says what is missing.
  const early = await admin.post(`/api/v1/batches/${id}/status`, { data: { status: "active" } });
  expect(early.status()).toBe(409);
  expect((await early.json()).error.message).toMatch(/at least two active model variants/);
  expect((await admin.put(`/api/v1/batches/${id}/model-variants`, { data: { modelVariantIds: modelVariants } })).status()).toBe(200);
  expect((await admin.post(`/api/v1/batches/${id}/status`, { data: { status: "active" } })).status()).toBe(200);

  await signIn(page, USERS.annotator2.email);
  await gotoApp(page, "/annotate/write");
  await page.getByTestId(`write-${id}`).click();
  await expect(page).toHaveURL(new RegExp(`/annotate/write\\?batch=${id}$`));
  await expect(page.getByText("E2E written dialogues")).toBeVisible();

  // Turn 1: write, send with Ctrl+Enter, both columns fill in as the models answer.
  await expect(page.getByLabel("Your prompt")).toBeFocused();
  await page.getByLabel("Your prompt").fill(FIRST_PROMPT);
  await expect(page.getByTestId("send-prompt")).toBeEnabled();
  await page.screenshot({ path: "test-results/screens/write-start.png", fullPage: true });
  await page.keyboard.press("Control+Enter");
  await expect(page.getByTestId("prompt")).toContainText("slow breakfast");
  const left = page.getByTestId("response-left");
  const right = page.getByTestId("response-right");
  await Promise.all([expectProgressiveText(left), expectProgressiveText(right)]);
  await page.screenshot({ path: "test-results/screens/write.png", fullPage: true });
  await expect(page.getByTestId("writer")).toHaveAttribute("data-phase", "judging", { timeout: 20_000 });
  await expect(left).toContainText("keep it short and friendly please.");
  await expect(right).toContainText("keep it short and friendly please.");
  await expect(page.getByTestId("turn-label")).toHaveText("Turn 1 of 3");
  await page.screenshot({ path: "test-results/screens/write-judging.png", fullPage: true });

  // Judge by keyboard, exactly as on /annotate.
  const chosenFirst = await left.locator(".markdown").innerText();
  await page.keyboard.press("ArrowLeft");
  await page.keyboard.press("2");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("notice")).toContainText("Saved: A better.");
  await expect(page.getByTestId("chosen-response")).toContainText(chosenFirst.trim());
  await page.screenshot({ path: "test-results/screens/write-next.png", fullPage: true });

  // Turn 2: N writes the next message; the chosen response is now the assistant's turn above it.
  await page.keyboard.press("n");
  await expect(page.getByLabel("Your next message")).toBeFocused();
  // The heading and the composer agree: the turn being written is turn 2.
  await expect(page.getByTestId("turn-label")).toHaveText("Turn 2 of 3");
  await page.keyboard.type(SECOND_PROMPT);
  await page.keyboard.press("Control+Enter");
  await expect(page.getByTestId("turn-label")).toHaveText("Turn 2 of 3");
  await expect(page.getByTestId("prompt")).toContainText("rainy-day proof");
  await expect(page.locator('section[aria-label="Dialogue"]')).toContainText(chosenFirst.trim());
  await expect(page.getByTestId("writer")).toHaveAttribute("data-phase", "judging", { timeout: 20_000 });
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("3");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("notice")).toContainText("Saved: B slightly better.");

  // End it here (E): the dialogue is saved, and a new one can start.
  await page.keyboard.press("e");
  await expect(page.getByTestId("ended")).toContainText("Dialogue saved: 2 turns.");
  await expect(page.getByLabel("Your prompt")).toBeVisible();

  const researcher = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${tokens.researcher}` } });
  const exported = await researcher.get(`/api/v1/exports/canonical?batches=${id}`);
  expect(exported.status()).toBe(200);
  const records = (await exported.text())
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line))
    .sort((a, b) => a.turn_index - b.turn_index);
  expect(records).toHaveLength(2);
  const [first, second] = records;
  expect(second.dialogue_id).toBe(first.dialogue_id);
  expect(records.map((r) => r.turn_index)).toEqual([0, 1]);
  // Two different variants answered each turn.
  for (const record of records) expect(new Set(record.responses.map((r: { model: { name: string } }) => r.model.name)).size).toBe(2);
  const chosen = first.responses.find((r: { response_id: string }) => r.response_id === first.chosen_response_id);
  expect(chosen.content.trim()).toBe(chosenFirst.trim());
  expect(first.continued_with_response_id).toBe(first.chosen_response_id);
  expect(second.context).toEqual([
    { role: "user", content: FIRST_PROMPT },
    { role: "assistant", content: chosen.content },
    { role: "user", content: SECOND_PROMPT },
  ]);
  await admin.dispose();
  await researcher.dispose();
});

test("a column whose endpoint fails shows the error and a retry that samples only that side", async ({ page, playwright, baseURL }) => {
  const { tokens, modelVariants, fakeModelServer } = e2eState();
  const admin = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${tokens.admin}` } });
  // A variant whose endpoint refuses connections: with only two variants, it answers one side of every prompt.
  const broken = await admin.post("/api/v1/model-variants", {
    data: { name: "e2e-unreachable", version: "v1", baseUrl: "http://127.0.0.1:9/v1", modelId: "e2e-unreachable", timeoutMs: 2000 },
  });
  expect(broken.status()).toBe(201);
  const brokenId = (await broken.json()).id;
  const { id } = await (
    await admin.post("/api/v1/batches", {
      data: { name: "E2E written, one endpoint down", focus: "helpfulness", promptSource: "annotator_written", maxTurns: 2 },
    })
  ).json();
  expect((await admin.put(`/api/v1/batches/${id}/model-variants`, { data: { modelVariantIds: [modelVariants[0], brokenId] } })).status()).toBe(200);
  expect((await admin.post(`/api/v1/batches/${id}/status`, { data: { status: "active" } })).status()).toBe(200);

  await signIn(page, USERS.annotator2.email);
  await gotoApp(page, `/annotate/write?batch=${id}`);
  await page.getByLabel("Your prompt").fill("Name three rivers in Europe.");
  await page.keyboard.press("Control+Enter");
  // After the client's own retries the failing column says so; the other one completes; nothing can be judged.
  const failed = page.locator('[data-testid^="response-"][data-status="error"]');
  await expect(failed).toHaveCount(1, { timeout: 30_000 });
  await expect(page.locator('[data-testid^="response-"][data-status="done"]')).toHaveCount(1);
  await expect(failed.getByRole("alert")).toContainText("could not be sampled");
  await expect(failed.getByRole("alert")).not.toContainText("e2e-unreachable");
  await expect(page.getByTestId("writer")).toHaveAttribute("data-phase", "sampling");
  await expect(page.getByTestId("submit")).toBeDisabled();
  await page.screenshot({ path: "test-results/screens/write-error.png", fullPage: true });

  // The endpoint comes back (here: pointed at the working server); R retries only the failed column.
  expect((await admin.patch(`/api/v1/model-variants/${brokenId}`, { data: { baseUrl: fakeModelServer } })).status()).toBe(200);
  const doneText = await page.locator('[data-testid^="response-"][data-status="done"]').innerText();
  await page.keyboard.press("r");
  await expect(page.getByTestId("writer")).toHaveAttribute("data-phase", "judging", { timeout: 20_000 });
  await expect(page.getByText("Name three rivers in Europe.", { exact: false }).first()).toBeVisible();
  const columns = [await page.getByTestId("response-left").innerText(), await page.getByTestId("response-right").innerText()];
  expect(columns.some((text) => text.includes(doneText.split("\n").find((line) => line.includes("::"))!))).toBe(true);
  expect(columns.some((text) => text.includes("[e2e-unreachable]"))).toBe(true);
  await page.keyboard.press("ArrowLeft");
  await page.keyboard.press("4");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("notice")).toContainText("Saved: A negligibly better / unsure.");
  await page.keyboard.press("e");
  await expect(page.getByTestId("ended")).toContainText("Dialogue saved: 1 turn.");
  await admin.dispose();
});
