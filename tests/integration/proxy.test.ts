// proxy.ts as Next runs it before every request: forged cookie writes (Server Actions included) get 403, signed-out
// visitors go to sign-in, every answer has the security headers, HSTS only over https, a fresh nonce per page.
import { describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import proxy from "@/proxy";

const COOKIE = "next-auth.session-token=forged.jwt.value";

function request(path: string, init: { method?: string; headers?: Record<string, string> } = {}) {
  return new NextRequest(`http://127.0.0.1:3000${path}`, { method: init.method ?? "GET", headers: { host: "127.0.0.1:3000", ...init.headers } });
}

describe("proxy", () => {
  it("answers 403 to a Server Action or form post riding the cookie from another origin, before Next runs it", async () => {
    for (const headers of <Record<string, string>[]>[
      { cookie: COOKIE, origin: "http://127.0.0.1:4000", "next-action": "abc" },
      { cookie: COOKIE, "sec-fetch-site": "cross-site", "content-type": "text/plain" },
      { cookie: COOKIE, "next-action": "abc" },
    ]) {
      const answer = await proxy(request("/admin/people", { method: "POST", headers }));
      expect(answer.status).toBe(403);
      expect((await answer.json()).error.code).toBe("forbidden");
      expect(answer.headers.get("x-content-type-options")).toBe("nosniff");
    }
  });

  it("lets through the app's own writes, bearer calls and cookie-less posts (sign-in)", async () => {
    const own = await proxy(request("/api/v1/vendors", { method: "POST", headers: { cookie: COOKIE, origin: "http://127.0.0.1:3000" } }));
    expect(own.status).toBe(200);
    expect(own.headers.get("x-middleware-next")).toBe("1");
    const bearer = await proxy(
      request("/api/v1/vendors", { method: "POST", headers: { cookie: COOKIE, origin: "http://evil.example", authorization: "Bearer pw_x" } }),
    );
    expect(bearer.headers.get("x-middleware-next")).toBe("1");
    const signIn = await proxy(request("/api/auth/callback/credentials", { method: "POST", headers: { origin: "http://127.0.0.1:3000" } }));
    expect(signIn.headers.get("x-middleware-next")).toBe("1");
  });

  it("sends signed-out visitors of app pages to sign-in, keeping the path", async () => {
    const answer = await proxy(request("/account?tab=tokens"));
    expect(answer.status).toBe(307);
    expect(new URL(answer.headers.get("location")!).pathname + new URL(answer.headers.get("location")!).search).toBe(
      "/sign-in?callbackUrl=%2Faccount%3Ftab%3Dtokens",
    );
  });

  it("sets the headers, a fresh nonce per page, and HSTS only over https", async () => {
    const first = await proxy(request("/sign-in"));
    const second = await proxy(request("/sign-in"));
    const nonce = (r: Response) => /'nonce-([^']+)'/.exec(r.headers.get("content-security-policy")!)![1];
    expect(nonce(first)).not.toBe(nonce(second));
    expect(first.headers.get("content-security-policy")).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'; style-src/);
    expect(first.headers.get("referrer-policy")).toBe("same-origin");
    expect(first.headers.get("strict-transport-security")).toBeNull();
    const https = await proxy(request("/sign-in", { headers: { "x-forwarded-proto": "https" } }));
    expect(https.headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
    expect((await proxy(request("/api/health"))).headers.get("content-security-policy")).toBe(
      "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    );
  });
});
