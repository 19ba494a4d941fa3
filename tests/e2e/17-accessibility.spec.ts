// axe on every page, as each role that can open it, in both themes: no serious or critical violation. Every page
// has one h1 and a main landmark.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { e2eState } from "./helpers";
import { makeBatch, makeUser, signInAs } from "./own-setup";

type Role = "annotator" | "researcher" | "admin";

async function check(page: Page, path: string, label: string) {
  await page.goto(path);
  await page.locator('html[data-hydrated="true"]').waitFor({ state: "attached" });
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const serious = results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map(
      (v) =>
        `${v.id}: ${v.nodes
          .map((n) => n.target.join(" "))
          .slice(0, 3)
          .join(" | ")} — ${v.nodes[0]?.failureSummary ?? ""}`,
    );
  expect(serious, `${label} ${path}`).toEqual([]);
  await expect(page.locator("h1"), `${label} ${path}: one h1`).toHaveCount(1);
  await expect(page.locator("main"), `${label} ${path}: a main landmark`).toHaveCount(1);
}

async function asRole(browser: Browser, baseURL: string, email: string | null, scheme: "light" | "dark") {
  const context = await browser.newContext({ baseURL, colorScheme: scheme, viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  if (email) await signInAs(page, email);
  return { page, close: () => context.close() };
}

for (const scheme of ["light", "dark"] as const) {
  test(`every page passes axe as each role that opens it (${scheme})`, async ({ browser, request, baseURL }) => {
    test.setTimeout(180_000);
    const batchId = await makeBatch(request, [
      {
        prompt: "Accessible prompt",
        left: "Answer with `code` and a [link](https://example.invalid).",
        right: "```js\nconst x = 1; // comment\n```",
      },
    ]);
    const admin = { authorization: `Bearer ${e2eState().tokens.admin}` };
    const items = (await (await request.get(`/api/v1/batches/${batchId}/items`, { headers: admin })).json()) as { items: { id: string }[] };
    const comparisonId = items.items[0].id;
    const pages: Record<Role | "anonymous", string[]> = {
      anonymous: ["/sign-in"],
      annotator: [`/annotate?batch=${batchId}`, "/annotate/write", "/account"],
      researcher: ["/exports", "/insights", "/account"],
      admin: [
        "/admin/batches",
        `/admin/batches/${batchId}`,
        `/admin/batches/${batchId}/comparisons/${comparisonId}`,
        "/admin/model-variants",
        "/admin/people",
        "/admin/vendors",
        "/admin/audit",
        "/insights",
        "/exports",
        "/account",
        "/admin/batches/no-such-batch",
        "/no-such-page",
      ],
    };
    for (const [role, paths] of Object.entries(pages) as [Role | "anonymous", string[]][]) {
      const email = role === "anonymous" ? null : await makeUser(request, role);
      const session = await asRole(browser, baseURL!, email, scheme);
      for (const path of paths) await check(session.page, path, `${role} (${scheme})`);
      await session.close();
    }
  });
}
