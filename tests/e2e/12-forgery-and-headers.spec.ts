// Issue 9 in a real browser: a page served from another port of the same host posts forms (text/plain, urlencoded,
// multipart) and fetches at every state-changing route through a signed-in admin's browser, and nothing changes;
// a forged Server Action gets 403; every answer carries the security headers and pages a nonce CSP under which the
// app still runs; sign-in redirects stay home; repeated failures show how long to wait; sign-out ends the cookie.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { PASSWORD, USERS } from "./fixtures";
import { e2eState, gotoApp, signIn, signOut, waitForApp } from "./helpers";
import { apiRoutes, signedInContext } from "./support-security";

/** What an admin could have changed: counts and the audit log, read with the admin's token. */
async function snapshot(request: APIRequestContext, token: string): Promise<Record<string, unknown>> {
  const headers = { authorization: `Bearer ${token}` };
  const get = async (path: string) => (await request.get(path, { headers })).json();
  return {
    audit: (await get("/api/v1/audit")).total,
    users: (await get("/api/v1/users")).users.length,
    vendors: (await get("/api/v1/vendors")).vendors.length,
    batches: (await get("/api/v1/batches")).batches.map((b: { id: string; status: string; comparisons: number; name: string }) => [
      b.id,
      b.status,
      b.comparisons,
      b.name,
    ]),
    variants: (await get("/api/v1/model-variants")).modelVariants.length,
    tokens: (await get("/api/v1/tokens?userId=*")).tokens.map((t: { id: string; revokedAt: string | null }) => [t.id, t.revokedAt]),
    datasets: (await get("/api/v1/datasets")).datasets.length,
  };
}

/** The attacker's page: for every state-changing route, three forms and a fetch, all aimed at the app. */
function attackerPage(target: string, routes: { method: string; path: string; body: string }[]): string {
  const forms = routes
    .filter((r) => r.method === "POST")
    .flatMap((r, i) =>
      ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"].map((enctype, j) => {
        // The text/plain trick: name + "=" + value makes a JSON body.
        const [name, value] = [r.body.slice(0, -2) + ',"x":"', '"}'];
        return `<iframe name="f${i}_${j}"></iframe><form method="POST" action="${target}${r.path}" enctype="${enctype}" target="f${i}_${j}"><input type="hidden" name='${name.replace(/'/g, "&#39;")}' value='${value}'></form>`;
      }),
    )
    .join("\n");
  const fetches = JSON.stringify(routes.map((r) => ({ method: r.method, url: target + r.path, body: r.body })));
  return `<!doctype html><html><body>${forms}<script>
    for (const form of document.forms) form.submit();
    const calls = ${fetches}.map((r) =>
      fetch(r.url, { method: r.method, mode: r.method === "POST" ? "no-cors" : "cors", credentials: "include", headers: { "content-type": "text/plain" }, body: r.body })
        .catch(() => null));
    Promise.all(calls).then(() => { document.title = "done"; });
  </script></body></html>`;
}

test("a page on another port forges nothing through a signed-in admin's browser", async ({ page, playwright, baseURL }) => {
  test.setTimeout(120_000);
  const { tokens, batches, modelVariants } = e2eState();
  const request = await playwright.request.newContext({ baseURL });
  const ids: Record<string, string> = { batches: batches.helpfulness, "model-variants": modelVariants[0], users: "", vendors: "" };
  const users = (await (await request.get("/api/v1/users", { headers: { authorization: `Bearer ${tokens.admin}` } })).json()).users;
  ids.users = users.find((u: { email: string }) => u.email === USERS.annotator.email).id;
  // Every state-changing route, with a body that would do harm: an admin account, a vendor, a status change …
  const routes = apiRoutes()
    .filter((r) => !r.startsWith("GET ") && !r.includes("/api/auth/"))
    .map((r) => {
      const [method, pattern] = r.split(" ");
      const path = pattern.replace(/\/(\w[\w-]*)\/\[id\]/, (_, kind: string) => `/${kind}/${ids[kind] ?? "missing-id"}`);
      const bodies: Record<string, string> = {
        "POST /api/v1/users": JSON.stringify({ email: "forged-admin@evil.test", role: "admin", password: "forged password 1" }),
        "POST /api/v1/vendors": JSON.stringify({ name: "Forged vendor" }),
        "POST /api/v1/batches": JSON.stringify({ name: "Forged batch", focus: "helpfulness", overlap: 1, guidelines: "" }),
        "POST /api/v1/batches/[id]/status": JSON.stringify({ status: "closed" }),
        "PATCH /api/v1/users/[id]": JSON.stringify({ active: false }),
        "POST /api/v1/tokens": JSON.stringify({ name: "forged token" }),
      };
      return { method, path, body: bodies[r] ?? JSON.stringify({ name: "forged" }) };
    });
  expect(routes.length).toBeGreaterThan(25);

  await signIn(page, USERS.admin.email);
  const before = await snapshot(request, tokens.admin);
  const attacker: Server = createServer((_, res) => {
    res.writeHead(200, { "content-type": "text/html" });
    res.end(attackerPage(baseURL!, routes));
  });
  await new Promise<void>((resolve) => attacker.listen(0, "127.0.0.1", resolve));
  const attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`;
  const answers: number[] = [];
  page.on("response", (response) => {
    if (response.url().startsWith(baseURL!) && response.request().method() !== "GET" && response.request().method() !== "OPTIONS")
      answers.push(response.status());
  });
  try {
    const evil = await page.context().newPage();
    await evil.goto(attackerUrl);
    await expect(evil).toHaveTitle("done", { timeout: 30_000 });
    await evil.waitForTimeout(1000); // the forms' answers land in their frames
    await evil.close();
  } finally {
    attacker.close();
  }
  expect(await snapshot(request, tokens.admin)).toEqual(before);
  // The admin is still signed in (nothing forged signed them out) and no forged admin can sign in.
  await gotoApp(page, "/admin/people");
  await expect(page.getByText("forged-admin@evil.test")).toHaveCount(0);
});

test("a forged Server Action gets 403, not 500", async ({ playwright, baseURL }) => {
  const admin = await signedInContext(playwright, baseURL!, USERS.admin.email, PASSWORD);
  for (const headers of <Record<string, string>[]>[
    { origin: "http://127.0.0.1:4000", "next-action": "0123456789abcdef0123456789abcdef01234567", "content-type": "text/plain;charset=UTF-8" },
    { "next-action": "0123456789abcdef0123456789abcdef01234567", "content-type": "multipart/form-data; boundary=x" },
  ]) {
    const answer = await admin.post("/admin/people", { headers, data: '["x"]' });
    expect(answer.status()).toBe(403);
    expect((await answer.json()).error.code).toBe("forbidden");
  }
});

test("every answer carries the security headers; pages a nonce CSP that Next's scripts satisfy", async ({ page, playwright, baseURL }) => {
  const request = await playwright.request.newContext({ baseURL });
  const signInPage = await request.get("/sign-in");
  const csp = signInPage.headers()["content-security-policy"];
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
  expect(nonce).toBeTruthy();
  expect(csp).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'(;|$)/);
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toMatch(/img-src 'self'(;|$)/);
  const html = await signInPage.text();
  const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
  expect(scripts.length).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
  expect((await request.get("/sign-in")).headers()["content-security-policy"]).not.toContain(nonce!); // fresh per request

  const asset = /src="(\/_next\/static\/[^"]+\.js)"/.exec(html)![1];
  for (const path of ["/sign-in", "/api/health", "/api/v1/openapi.json", "/api/docs", asset, "/admin/batches"]) {
    const answer = await request.get(path, { maxRedirects: 0 });
    const headers = answer.headers();
    expect(headers["x-content-type-options"], path).toBe("nosniff");
    expect(headers["referrer-policy"], path).toBe("same-origin");
    expect(headers["permissions-policy"], path).toContain("camera=()");
    expect(headers["x-frame-options"], path).toBe("DENY");
    expect(headers["content-security-policy"], path).toContain("frame-ancestors 'none'");
    expect(headers["strict-transport-security"], path).toBeUndefined(); // served over http here
  }
  // The API reference keeps its own policy (data: images for Swagger UI) and the two agree.
  expect((await request.get("/api/docs")).headers()["content-security-policy"]).toContain("img-src 'self' data:");

  // The app runs under the policy: no violation while signing in and using a page.
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  await signIn(page, USERS.admin.email);
  await gotoApp(page, "/admin/people");
  expect(violations).toEqual([]);
});

test("sign-in redirects only to paths of the app", async ({ page, baseURL }) => {
  for (const callbackUrl of ["/%5Cevil.example/x", "/%09/evil.example/x", "//evil.example/x", "https://evil.example/"]) {
    await gotoApp(page, `/sign-in?callbackUrl=${encodeURIComponent(callbackUrl).replace(/%25/g, "%")}`);
    await page.getByLabel("Email").fill(USERS.researcher.email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).not.toHaveURL(/sign-in/);
    expect(new URL(page.url()).origin).toBe(baseURL);
    await waitForApp(page);
    await signOut(page);
  }
});

test("repeated failed sign-ins show how long to wait", async ({ page }) => {
  const email = `nobody-${Date.now()}@e2e.test`;
  await gotoApp(page, "/sign-in");
  for (let i = 0; i < 6; i++) {
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("wrong password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.locator("form").getByRole("alert")).toBeVisible();
  }
  await expect(page.locator("form").getByRole("alert")).toHaveText(/Too many failed sign-ins\. Try again in \d+ s\./);
  await page.screenshot({ path: "test-results/screens/sign-in-throttled.png" });
});

test("sign-out ends the session on the server: the old cookie opens nothing", async ({ page, playwright, baseURL }) => {
  await signIn(page, USERS.annotator.email);
  const saved = await page.context().storageState();
  await signOut(page);
  const replay = await playwright.request.newContext({ baseURL, storageState: saved });
  expect((await replay.get("/api/v1/tokens")).status()).toBe(401);
  const home = await replay.get("/annotate", { maxRedirects: 0 });
  expect(home.status()).toBe(307);
  expect(home.headers()["location"]).toContain("/sign-in");
});
