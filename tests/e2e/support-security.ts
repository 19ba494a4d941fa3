// Callers for the security specs: API request contexts signed in through next-auth's own endpoints (a session
// cookie, as a browser holds it), and the route and page files of the app, listed from disk.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { expect, type APIRequest, type APIRequestContext } from "@playwright/test";

const ROOT = path.resolve(__dirname, "..", "..");

function walk(dir: string, name: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) found.push(...walk(full, name));
    else if (entry === name) found.push(full);
  }
  return found;
}

/** Every API route under app/api as "METHOD /path/[param]", read from the route files' exports. */
export function apiRoutes(): string[] {
  const routes: string[] = [];
  for (const file of walk(path.join(ROOT, "app", "api"), "route.ts")) {
    const route = "/" + path.relative(path.join(ROOT, "app"), path.dirname(file)).split(path.sep).join("/");
    const text = readFileSync(file, "utf8");
    for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"]) {
      if (new RegExp(`export (const|async function|function) ${method}\\b|export \\{[^}]*\\bas ${method}\\b`).test(text))
        routes.push(`${method} ${route}`);
    }
  }
  return routes.sort();
}

/** Every page of the app as its URL pattern ("/admin/batches/[id]"), route groups dropped. */
export function pages(): string[] {
  return walk(path.join(ROOT, "app"), "page.tsx")
    .map(
      (file) =>
        "/" +
        path
          .relative(path.join(ROOT, "app"), path.dirname(file))
          .split(path.sep)
          .filter((p) => !/^\(.*\)$/.test(p))
          .join("/"),
    )
    .map((p) => (p === "/" ? "/" : p.replace(/\/$/, "")))
    .sort();
}

/** A request context signed in as `email` through next-auth (credentials), holding the session cookie. */
export async function signedInContext(
  playwright: { request: APIRequest },
  baseURL: string,
  email: string,
  password: string,
): Promise<APIRequestContext> {
  const context = await playwright.request.newContext({ baseURL });
  const { csrfToken } = await (await context.get("/api/auth/csrf")).json();
  const answer = await context.post("/api/auth/callback/credentials", {
    form: { email, password, csrfToken, json: "true" },
    headers: { origin: baseURL },
  });
  expect(answer.status(), `sign-in of ${email}`).toBe(200);
  const cookies = (await context.storageState()).cookies.map((c) => c.name);
  expect(
    cookies.some((name) => name.includes("session-token")),
    `session cookie of ${email}`,
  ).toBe(true);
  return context;
}

/** Signs the context out the way the page does (next-auth's endpoint, with its CSRF token). */
export async function signOutContext(context: APIRequestContext, baseURL: string): Promise<void> {
  const { csrfToken } = await (await context.get("/api/auth/csrf")).json();
  expect((await context.post("/api/auth/signout", { form: { csrfToken, json: "true" }, headers: { origin: baseURL } })).status()).toBe(200);
}
