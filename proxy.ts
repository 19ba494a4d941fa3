// Runs before every request: refuses forged state-changing requests that ride the session cookie (API calls, Server
// Actions, forms) with 403, sends signed-out visitors of app pages to the sign-in page, and sets the security
// headers with a fresh CSP nonce per page. It only decides what is shown: every server/ function checks permissions.
import { NextResponse, type NextRequest } from "next/server";
import { getToken } from "next-auth/jwt";
import { getEnv } from "@/server/env";
import { foreignOriginProblem, isCookieStateChange } from "@/server/http/request-guard";
import { contentSecurityPolicyFor, HSTS, STATIC_SECURITY_HEADERS } from "@/server/http/security-headers";

const SIGNED_IN_PAGES = ["/annotate", "/admin", "/exports", "/account"];

function needsSignIn(pathname: string): boolean {
  return SIGNED_IN_PAGES.some((page) => pathname === page || pathname.startsWith(`${page}/`));
}

function servedOverHttps(request: NextRequest): boolean {
  const forwarded = request.headers.get("x-forwarded-proto");
  return (forwarded ?? request.nextUrl.protocol.replace(/:$/, "")) === "https" || (getEnv().appOrigin?.startsWith("https://") ?? false);
}

function withSecurityHeaders(response: NextResponse, request: NextRequest, csp: string): NextResponse {
  for (const [name, value] of Object.entries(STATIC_SECURITY_HEADERS)) response.headers.set(name, value);
  response.headers.set("content-security-policy", csp);
  if (servedOverHttps(request)) response.headers.set("strict-transport-security", HSTS);
  return response;
}

export default async function proxy(request: NextRequest): Promise<NextResponse> {
  const { pathname, search } = request.nextUrl;
  const env = getEnv();
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString("base64");
  const csp = contentSecurityPolicyFor(pathname, nonce, env.NODE_ENV === "development");

  if (isCookieStateChange(request.method, request.headers)) {
    const problem = foreignOriginProblem(request.headers, request.url);
    if (problem) {
      const message = `Cross-origin request refused: it ${problem}. Call the API with a bearer token, or from Pairwise's own pages.`;
      return withSecurityHeaders(NextResponse.json({ error: { code: "forbidden", message } }, { status: 403 }), request, csp);
    }
  }

  if (needsSignIn(pathname) && !(await getToken({ req: request, secret: env.NEXTAUTH_SECRET }))) {
    const signIn = new URL("/sign-in", request.url);
    signIn.searchParams.set("callbackUrl", `${pathname}${search}`);
    return withSecurityHeaders(NextResponse.redirect(signIn), request, csp);
  }

  // Next reads the nonce from the request's policy and puts it on the scripts it renders.
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", csp);
  return withSecurityHeaders(NextResponse.next({ request: { headers: requestHeaders } }), request, csp);
}

export const config = {
  // Everything but Next's immutable build files (next.config.ts gives those the static headers).
  matcher: ["/((?!_next/static|_next/image).*)"],
};
