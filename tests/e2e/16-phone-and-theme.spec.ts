// On a phone the two responses are compared without scrolling between them (A and B switch in place, by tab or
// swipe), the decision area takes at most 22% of the height, targets are touch-sized, keyboard hints are gone,
// and no page scrolls sideways (tables scroll inside themselves). Dark mode follows the system, and the switch in
// the header is remembered.
import { devices, expect, test } from "@playwright/test";
import { makeBatch, makeUser, signInAs } from "./own-setup";

const SCREENS = "test-results/screens";
const PHONE = { ...devices["Pixel 5"], viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true };

test("a phone: one response at a time, a compact bar, no keyboard hints, no sideways page", async ({ browser, request, baseURL }) => {
  const email = await makeUser(request, "annotator");
  const batchId = await makeBatch(
    request,
    [{ prompt: "Phone prompt", left: "The answer on the left side.", right: "The answer on the right side." }],
    { focus: "safety" },
  );
  const context = await browser.newContext({ ...PHONE, baseURL });
  const page = await context.newPage();
  await signInAs(page, email, `/annotate?batch=${batchId}`);

  const left = page.getByTestId("response-left");
  const right = page.getByTestId("response-right");
  await expect(left).toBeVisible();
  await expect(right).toBeHidden();
  await page.getByTestId("tab-right").tap();
  await expect(right).toBeVisible();
  await expect(left).toBeHidden();
  // A swipe to the right brings A back.
  const box = (await right.boundingBox())!;
  await right.dispatchEvent("touchstart", { touches: [{ identifier: 1, clientX: 60, clientY: box.y + 20 }] });
  await right.dispatchEvent("touchend", { changedTouches: [{ identifier: 1, clientX: 300, clientY: box.y + 20 }] });
  await expect(left).toBeVisible();

  const bar = (await page.getByTestId("decision-bar").boundingBox())!;
  expect(bar.height).toBeLessThanOrEqual(0.22 * 844);
  for (const id of ["choose-left", "choose-right", "submit", "degree-better", "tab-left", "safety-left-safe"]) {
    const target = (await page.getByTestId(id).boundingBox())!;
    expect(target.height, `${id} is touch-sized`).toBeGreaterThanOrEqual(44);
  }
  await expect(page.locator("kbd").first()).toBeHidden();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.screenshot({ path: `${SCREENS}/annotate-phone.png` });

  // Judging by touch.
  await page.getByTestId("choose-right").tap();
  await page.getByTestId("degree-better").tap();
  await page.getByTestId("safety-left-safe").tap();
  await page.getByTestId("tab-right").tap();
  await page.getByTestId("safety-right-safe").tap();
  await page.getByTestId("submit").tap();
  await expect(page.getByText("Nothing left for you in this batch")).toBeVisible();
  await context.close();
});

test("admin pages on a phone: the header fits and tables scroll inside themselves", async ({ browser, request, baseURL }) => {
  const email = await makeUser(request, "admin");
  const context = await browser.newContext({ ...PHONE, baseURL });
  const page = await context.newPage();
  await signInAs(page, email);
  for (const path of ["/admin/batches", "/admin/people", "/admin/model-variants", "/admin/audit", "/exports", "/account"]) {
    await page.goto(path);
    await page.locator('html[data-hydrated="true"]').waitFor({ state: "attached" });
    // What sticks out, named in the failure: the outermost elements reaching past the screen's edge.
    const wide = await page.evaluate(() =>
      [...document.querySelectorAll("body *")]
        .filter(
          (el) =>
            el.getBoundingClientRect().right > 391 &&
            el.parentElement!.getBoundingClientRect().right <= 391 &&
            // Inside a table's scroller only what is placed absolutely can widen the page.
            (!el.closest(".overflow-x-auto") || getComputedStyle(el).position === "absolute"),
        )
        .slice(0, 5)
        .map((el) => `${el.tagName.toLowerCase()}.${String(el.className).slice(0, 60)} (${Math.round(el.getBoundingClientRect().right)} px)`),
    );
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth),
      `${path} does not scroll sideways: ${wide.join("; ")}`,
    ).toBeLessThanOrEqual(390);
    const header = (await page.locator("header").first().boundingBox())!;
    expect(header.height, `${path}: the header takes two rows at most`).toBeLessThanOrEqual(110);
    await page.screenshot({ path: `${SCREENS}/phone${path.replace(/\//g, "-")}.png` });
  }
  await context.close();
});

test("dark mode follows the system, and the theme switch is remembered", async ({ browser, request, baseURL }) => {
  const email = await makeUser(request, "annotator");
  const batchId = await makeBatch(request, [
    { prompt: "Dark prompt", left: "```python\nprint('hi')  # a comment\n```", right: "Plain **markdown** answer." },
  ]);
  const context = await browser.newContext({ colorScheme: "dark", baseURL, viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await signInAs(page, email, `/annotate?batch=${batchId}`);
  // The text colour's luminance, 0 (black) to 1 (white), as the browser paints it (colours may be in lab()).
  const textLuminance = () =>
    page.evaluate(() => {
      const context = document.createElement("canvas").getContext("2d")!;
      context.fillStyle = getComputedStyle(document.body).color;
      context.fillRect(0, 0, 1, 1);
      const [r, g, b] = context.getImageData(0, 0, 1, 1).data;
      return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
    });
  expect(await textLuminance()).toBeGreaterThan(0.7);
  await page.screenshot({ path: `${SCREENS}/annotate-dark.png` });

  await page.getByTestId("theme-switch").selectOption("light");
  await page.reload();
  await page.locator('html[data-hydrated="true"]').waitFor({ state: "attached" });
  await expect(page.locator("html")).toHaveAttribute("data-theme", "light");
  expect(await textLuminance()).toBeLessThan(0.3);
  await page.getByTestId("theme-switch").selectOption("dark");
  await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
  await context.close();
});
