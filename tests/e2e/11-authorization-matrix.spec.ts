// The authorization matrix, generated from the route and page files (a new one without an entry here fails): every
// API route and page called as anonymous, annotator, researcher, admin (token and cookie), a deactivated user, a
// revoked token, a signed-out cookie and an admin's cookie from a foreign origin, each answer checked against the
// allowed set. Bodies are empty or ids missing, so allowed callers get 400/404 and nothing changes.
import { expect, test, type APIRequestContext } from "@playwright/test";
import { hasPermission, type Permission } from "@/server/auth/permissions";
import type { Role } from "@/lib/protocol";
import { PASSWORD, USERS } from "./fixtures";
import { e2eState } from "./helpers";
import { apiRoutes, pages, signedInContext, signOutContext } from "./support-security";

type Access = Permission | "public" | "signed-in";
type ApiEntry = { access: Access; path?: string; body?: unknown; raw?: { type: string; data: string } };

const MISSING = "missing-id";
const API: Record<string, ApiEntry> = {
  "GET /api/auth/[...nextauth]": { access: "public", path: "/api/auth/session" },
  "POST /api/auth/[...nextauth]": { access: "public", path: "/api/auth/_log", raw: { type: "application/x-www-form-urlencoded", data: "" } },
  "GET /api/docs": { access: "public" },
  "GET /api/docs/[asset]": { access: "public", path: "/api/docs/docs.js" },
  "GET /api/health": { access: "public" },
  "GET /api/ready": { access: "public" },
  "GET /api/v1/openapi.json": { access: "public" },
  "GET /api/v1/audit": { access: "audit.read" },
  "GET /api/v1/batches": { access: "batches.read" },
  "POST /api/v1/batches": { access: "batches.write", body: {} },
  "GET /api/v1/batches/[id]": { access: "batches.read" },
  "PATCH /api/v1/batches/[id]": { access: "batches.write", body: {} },
  "GET /api/v1/batches/[id]/generation": { access: "batches.read" },
  "POST /api/v1/batches/[id]/generate": { access: "batches.write" },
  "POST /api/v1/batches/[id]/generation/retry": { access: "batches.write" },
  "PUT /api/v1/batches/[id]/guidelines": { access: "batches.write", body: {} },
  "GET /api/v1/batches/[id]/items": { access: "batches.read" },
  "POST /api/v1/batches/[id]/items": { access: "items.import", raw: { type: "application/x-ndjson", data: "{}" } },
  "PUT /api/v1/batches/[id]/model-variants": { access: "batches.write", body: {} },
  "POST /api/v1/batches/[id]/status": { access: "batches.write", body: {} },
  "POST /api/v1/comparisons/[id]/retry": { access: "judgements.submit", body: { side: "left" } },
  "GET /api/v1/comparisons/[id]/stream": { access: "judgements.submit" },
  "GET /api/v1/datasets": { access: "exports.read" },
  "POST /api/v1/datasets": { access: "datasets.write", body: {} },
  "GET /api/v1/datasets/[id]/download": { access: "exports.read" },
  "GET /api/v1/datasets/[id]/manifest": { access: "exports.read" },
  "POST /api/v1/dialogues": { access: "judgements.submit", body: {} },
  "GET /api/v1/dialogues/[id]": { access: "judgements.submit" },
  "POST /api/v1/dialogues/[id]/end": { access: "judgements.submit" },
  "POST /api/v1/dialogues/[id]/turns": { access: "judgements.submit", body: {} },
  "GET /api/v1/exports/[format]": { access: "exports.read", path: `/api/v1/exports/canonical?batches=${MISSING}` },
  "GET /api/v1/exports/preview": { access: "exports.read", path: `/api/v1/exports/preview?format=canonical&batches=${MISSING}` },
  "GET /api/v1/insights": { access: "insights.read" },
  "POST /api/v1/judgements": { access: "judgements.submit", body: {} },
  "POST /api/v1/judgements/[id]/revise": { access: "judgements.submit", body: {} },
  "GET /api/v1/model-variants": { access: "batches.read" },
  "POST /api/v1/model-variants": { access: "model-variants.write", body: {} },
  "GET /api/v1/model-variants/[id]": { access: "batches.read" },
  "PATCH /api/v1/model-variants/[id]": { access: "model-variants.write", body: {} },
  "POST /api/v1/model-variants/[id]/test": { access: "model-variants.write" },
  "POST /api/v1/tasks/claim": { access: "tasks.claim", body: { batchId: MISSING } },
  "POST /api/v1/tasks/skip": { access: "tasks.claim", body: {} },
  "GET /api/v1/tokens": { access: "tokens.write" },
  "POST /api/v1/tokens": { access: "tokens.write", body: {} },
  "DELETE /api/v1/tokens/[id]": { access: "tokens.write" },
  "POST /api/v1/account/password": { access: "signed-in", body: {} },
  "GET /api/v1/users": { access: "users.read" },
  "POST /api/v1/users": { access: "users.write", body: {} },
  "GET /api/v1/users/[id]": { access: "users.read" },
  "PATCH /api/v1/users/[id]": { access: "users.write", body: {} },
  "GET /api/v1/vendors": { access: "users.read" },
  "POST /api/v1/vendors": { access: "users.write", body: {} },
  "PATCH /api/v1/vendors/[id]": { access: "users.write", body: {} },
};

type PageEntry = { access: Access | "redirect"; path?: string; missing?: boolean };
const PAGES: Record<string, PageEntry> = {
  "/": { access: "redirect" },
  "/sign-in": { access: "public" },
  "/account": { access: "signed-in" },
  "/annotate": { access: "tasks.claim" },
  "/annotate/write": { access: "judgements.submit" },
  "/exports": { access: "exports.read" },
  "/insights": { access: "insights.read" },
  "/admin/audit": { access: "audit.read" },
  "/admin/batches": { access: "batches.write" },
  "/admin/batches/[id]": { access: "batches.write" },
  "/admin/batches/[id]/comparisons/[comparisonId]": { access: "batches.write", missing: true },
  "/admin/model-variants": { access: "model-variants.write" },
  "/admin/people": { access: "users.write" },
  "/admin/vendors": { access: "users.write" },
};

type Caller = { name: string; context: APIRequestContext; role: Role | null; headers: Record<string, string>; foreign?: boolean; viaToken: boolean };

const allows = (access: Access, role: Role | null) =>
  access === "public" || (role !== null && (access === "signed-in" || hasPermission({ role }, access)));

test("every route and page of the app has an entry in the matrix, and every entry a route", () => {
  expect(apiRoutes()).toEqual(Object.keys(API).sort());
  expect(pages()).toEqual(Object.keys(PAGES).sort());
});

test("authorization matrix: 9 kinds of caller × every API route and page", async ({ playwright, baseURL }) => {
  test.setTimeout(240_000);
  const origin = baseURL!;
  const { tokens, batches } = e2eState();
  const bare = await playwright.request.newContext({ baseURL: origin });
  const admin = { authorization: `Bearer ${tokens.admin}` };
  const stamp = Date.now().toString(36);

  // A user to deactivate (with a cookie and a token first), a token to revoke, a cookie to sign out.
  const doomedEmail = `matrix-deactivated-${stamp}@e2e.test`;
  const doomed = await (await bare.post("/api/v1/users", { headers: admin, data: { email: doomedEmail, role: "admin", password: PASSWORD } })).json();
  const doomedCookie = await signedInContext(playwright, origin, doomedEmail, PASSWORD);
  const doomedToken = (await (await bare.post("/api/v1/tokens", { headers: admin, data: { name: "doomed", userId: doomed.id } })).json()).token;
  expect((await bare.patch(`/api/v1/users/${doomed.id}`, { headers: admin, data: { active: false } })).status()).toBe(200);
  expect((await bare.patch(`/api/v1/users/${doomed.id}`, { headers: admin, data: { active: true } })).status()).toBe(200); // revives nothing
  const revoked = await (await bare.post("/api/v1/tokens", { headers: admin, data: { name: "revoked" } })).json();
  expect((await bare.delete(`/api/v1/tokens/${revoked.id}`, { headers: admin })).status()).toBe(200);
  const leaving = await signedInContext(playwright, origin, USERS.researcher.email, PASSWORD);
  const signedOut = await playwright.request.newContext({ baseURL: origin, storageState: await leaving.storageState() });
  await signOutContext(leaving, origin);

  const cookieOf = async (email: string) => signedInContext(playwright, origin, email, PASSWORD);
  const same = { origin };
  const callers: Caller[] = [
    { name: "anonymous", context: bare, role: null, headers: {}, viaToken: true },
    { name: "annotator token", context: bare, role: "annotator", headers: { authorization: `Bearer ${tokens.annotator}` }, viaToken: true },
    { name: "researcher token", context: bare, role: "researcher", headers: { authorization: `Bearer ${tokens.researcher}` }, viaToken: true },
    { name: "admin token", context: bare, role: "admin", headers: admin, viaToken: true },
    { name: "annotator cookie", context: await cookieOf(USERS.annotator.email), role: "annotator", headers: same, viaToken: false },
    { name: "researcher cookie", context: await cookieOf(USERS.researcher.email), role: "researcher", headers: same, viaToken: false },
    { name: "admin cookie", context: await cookieOf(USERS.admin.email), role: "admin", headers: same, viaToken: false },
    { name: "deactivated cookie", context: doomedCookie, role: null, headers: same, viaToken: false },
    { name: "deactivated token", context: bare, role: null, headers: { authorization: `Bearer ${doomedToken}` }, viaToken: true },
    { name: "revoked token", context: bare, role: null, headers: { authorization: `Bearer ${revoked.token}` }, viaToken: true },
    { name: "signed-out cookie", context: signedOut, role: null, headers: same, viaToken: false },
    {
      name: "foreign-origin cookie",
      context: await cookieOf(USERS.admin.email),
      role: "admin",
      headers: { origin: "http://127.0.0.1:4000" },
      foreign: true,
      viaToken: false,
    },
  ];

  const problems: string[] = [];
  for (const [route, entry] of Object.entries(API)) {
    const [method, pattern] = route.split(" ");
    const path = entry.path ?? pattern.replace(/\[id\]/g, MISSING);
    const stateChanging = method !== "GET";
    for (const caller of callers) {
      const options = entry.raw
        ? { headers: { ...caller.headers, "content-type": entry.raw.type }, data: entry.raw.data, maxRedirects: 0 }
        : { headers: caller.headers, ...(entry.body !== undefined ? { data: entry.body } : {}), maxRedirects: 0 };
      const answer = await caller.context.fetch(path, { method, ...options });
      const status = answer.status();
      let expected: string;
      let ok: boolean;
      if (caller.foreign && stateChanging) {
        expected = "403 (foreign origin)";
        ok = status === 403;
      } else if (entry.access === "public") {
        expected = "not 401/403, below 500";
        ok = status !== 401 && status !== 403 && status < 500;
      } else if (caller.role === null) {
        expected = "401";
        ok = status === 401;
      } else if (allows(entry.access, caller.role)) {
        expected = "allowed: not 401/403, below 500";
        ok = status !== 401 && status !== 403 && status < 500;
      } else {
        expected = "403";
        ok = status === 403;
      }
      if (!ok) problems.push(`${route} as ${caller.name}: ${status}, expected ${expected} (${(await answer.text()).slice(0, 160)})`);
    }
  }

  for (const [page, entry] of Object.entries(PAGES)) {
    const path = page.replace("[id]", batches.helpfulness).replace("[comparisonId]", MISSING);
    for (const caller of callers.filter((c) => !c.viaToken || c.name === "anonymous")) {
      const answer = await caller.context.get(path, { maxRedirects: 0, headers: caller.foreign ? { "sec-fetch-site": "cross-site" } : {} });
      const status = answer.status();
      const location = answer.headers()["location"] ?? "";
      let expected: string;
      let ok: boolean;
      if (entry.access === "public") {
        expected = caller.role ? "307 to /" : "200";
        ok = caller.role ? status === 307 : status === 200;
      } else if (entry.access === "redirect") {
        expected = caller.role ? "307 to the role's page" : "307 to /sign-in";
        ok = status === 307 && (caller.role ? !location.includes("/sign-in") : location.includes("/sign-in"));
      } else if (caller.role === null) {
        expected = "307 to /sign-in";
        ok = status === 307 && location.includes("/sign-in");
      } else if (allows(entry.access, caller.role)) {
        expected = entry.missing ? "404" : "200";
        ok = status === (entry.missing ? 404 : 200);
      } else {
        expected = "403";
        ok = status === 403;
      }
      if (!ok) problems.push(`page ${path} as ${caller.name}: ${status} ${location}, expected ${expected}`);
    }
  }
  // A missing batch is 404 to the role that may see batches.
  const adminCookie = callers.find((c) => c.name === "admin cookie")!.context;
  expect((await adminCookie.get(`/admin/batches/${MISSING}`, { maxRedirects: 0 })).status()).toBe(404);
  expect(problems).toEqual([]);
});
