// The text as the model wrote it (single line breaks kept, a raw-text switch), a long dialogue folded so the
// prompt and both responses start on screen above the bar, and undo: the last judgement comes back with its
// choices and the correction replaces it on the server (one row, audited, the next task kept).
import { expect, test } from "@playwright/test";
import { e2eState } from "./helpers";
import { judgementsOf, makeBatch, makeUser, signInAs } from "./own-setup";

const SCREENS = "test-results/screens";
const POEM = "Soft rain taps the glass,\nwhispering of distant hills;\nthe kettle answers.";
const LONG = Array.from({ length: 12 }, (_, i) => `Paragraph ${i + 1} of an earlier answer, long enough to take some room on the page.`).join("\n\n");

test("line breaks stay, raw text is one key away, and earlier turns fold", async ({ page, request }) => {
  const email = await makeUser(request, "annotator");
  const context = Array.from({ length: 3 }, (_, i) => [
    { role: "user" as const, content: `Earlier question ${i + 1}` },
    { role: "assistant" as const, content: LONG },
  ]).flat();
  const batchId = await makeBatch(request, [
    {
      prompt: "Write a haiku about rain, three lines.",
      left: POEM,
      right: "Soft rain taps the glass, whispering of distant hills; the kettle answers.",
      context,
    },
  ]);
  await page.setViewportSize({ width: 1440, height: 900 });
  await signInAs(page, email, `/annotate?batch=${batchId}`);

  // The poem keeps its two line breaks (the other response, one line, has none); the screen order is random.
  await expect(page.locator(".markdown br")).toHaveCount(2);
  const poemSide = (await page.getByTestId("response-left").locator(".markdown br").count()) === 2 ? "left" : "right";
  const otherSide = poemSide === "left" ? "right" : "left";
  await page.keyboard.press("m");
  await expect(page.getByTestId(`raw-text-${poemSide}`)).toHaveText(POEM);
  await expect(page.getByTestId(`raw-text-${otherSide}`)).toBeVisible();
  await page.getByTestId(`raw-${otherSide}`).click();
  await expect(page.getByTestId(`raw-text-${otherSide}`)).toHaveCount(0);
  await page.keyboard.press("m");
  await expect(page.getByTestId(`raw-text-${poemSide}`)).toHaveCount(0);

  // Four earlier messages fold away; the prompt and the start of both responses are above the fixed bar.
  await expect(page.getByTestId("earlier-turns")).toContainText("4 messages");
  const bar = (await page.getByTestId("decision-bar").boundingBox())!;
  for (const id of ["prompt", "response-left", "response-right"]) {
    const box = (await page.getByTestId(id).boundingBox())!;
    expect(box.y, `${id} starts on screen`).toBeLessThan(bar.y - 40);
  }
  await page.screenshot({ path: `${SCREENS}/annotate-long-dialogue.png` });
  // Scrolled to the end, nothing is under the bar: the page leaves room for it.
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  const footer = (await page.getByTestId("response-left").locator("footer").boundingBox())!;
  const barNow = (await page.getByTestId("decision-bar").boundingBox())!;
  expect(footer.y + footer.height).toBeLessThanOrEqual(barNow.y);
});

test("undo brings the last judgement back, and the correction replaces it on the server", async ({ page, request }) => {
  const email = await makeUser(request, "annotator");
  const batchId = await makeBatch(
    request,
    [1, 2].map((i) => ({ prompt: `Undo prompt ${i}`, left: `Left ${i}`, right: `Right ${i}` })),
  );
  await signInAs(page, email, `/annotate?batch=${batchId}`);
  const comparison = page.getByTestId("comparison");
  const first = (await comparison.getAttribute("data-assignment-id"))!;

  await page.keyboard.press("ArrowLeft");
  await page.keyboard.press("3");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("notice")).toContainText("Saved: A slightly better.");
  const second = (await comparison.getAttribute("data-assignment-id"))!;
  expect(second).not.toBe(first);
  await expect(page.getByTestId("notice-action")).toContainText("Undo");

  // ⌫: the first comparison again, with its choices.
  await page.keyboard.press("Backspace");
  await expect(comparison).toHaveAttribute("data-assignment-id", first);
  await expect(comparison).toHaveAttribute("data-revising", "true");
  await expect(page.getByTestId("choose-left")).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByTestId("degree-slightly_better")).toHaveAttribute("aria-pressed", "true");
  await page.screenshot({ path: `${SCREENS}/annotate-undo.png` });

  // Corrected to B, significantly: the same judgement (one row), then back to the task that was waiting.
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("1");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("notice")).toContainText("Corrected: B significantly better.");
  await expect(comparison).toHaveAttribute("data-assignment-id", second);
  expect(await judgementsOf(request, batchId)).toBe(1);

  const admin = { authorization: `Bearer ${e2eState().tokens.admin}` };
  const audit = await request.get("/api/v1/audit?action=judgement.revise", { headers: admin });
  const entries = ((await audit.json()) as { entries: { before: { chosen: string; degree: string }; after: { chosen: string; degree: string } }[] })
    .entries;
  expect(
    entries.some(
      (e) =>
        e.before.chosen === "left" &&
        e.before.degree === "slightly_better" &&
        e.after.chosen === "right" &&
        e.after.degree === "significantly_better",
    ),
  ).toBe(true);

  // The last one: the empty state, from which ⌫ still brings it back, and Esc keeps it as it was.
  await page.keyboard.press("ArrowLeft");
  await page.keyboard.press("2");
  await page.keyboard.press("Enter");
  await expect(page.getByText("Nothing left for you in this batch")).toBeVisible();
  await page.keyboard.press("Backspace");
  await expect(comparison).toHaveAttribute("data-revising", "true");
  await page.keyboard.press("Escape");
  await expect(page.getByText("Nothing left for you in this batch")).toBeVisible();
  expect(await judgementsOf(request, batchId)).toBe(2);
});
