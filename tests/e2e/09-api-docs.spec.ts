// The API reference at /api/docs: Swagger UI over /api/v1/openapi.json, everything loaded from this server, no
// Content-Security-Policy violation under the page's strict policy, readable on a desktop and on a phone.
import { expect, test } from "@playwright/test";

for (const [name, viewport] of [
  ["desktop", { width: 1440, height: 900 }],
  ["phone", { width: 390, height: 844 }],
] as const) {
  test(`API reference renders the whole of API v1 from this server (${name})`, async ({ browser, baseURL }) => {
    // A fresh context without a session: the reference is public.
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    const origins = new Set<string>();
    page.on("request", (request) => origins.add(new URL(request.url()).origin));
    const violations: string[] = [];
    page.on("console", (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
    });
    const response = await page.goto("/api/docs");
    expect(response!.headers()["content-security-policy"]).toContain("script-src 'self'");
    await expect(page.getByText("Pairwise API")).toBeVisible();
    await expect(page.locator(".opblock-summary-path", { hasText: "/api/v1/exports/{format}" })).toBeVisible();
    // One block per described operation (47), grouped by tag.
    await expect(page.locator(".opblock")).toHaveCount(47);
    await page.screenshot({ path: `test-results/screens/api-docs-top-${name}.png` });
    await page.locator('.opblock-summary-path[data-path="/api/v1/judgements"]').click();
    await expect(page.getByText("idempotencyKey").first()).toBeVisible();
    await page.screenshot({ path: `test-results/screens/api-docs-${name}.png` });
    expect([...origins]).toEqual([new URL(baseURL!).origin]);
    expect(violations).toEqual([]);
    await context.close();
  });
}
