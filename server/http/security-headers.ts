// The headers every response carries, and the page Content-Security-Policy with its per-request nonce. proxy.ts
// applies them; next.config.ts adds the static ones to files the proxy does not see (/_next/static).
import { DOCS_CONTENT_SECURITY_POLICY } from "./api-docs";

/** Headers that never change: no sniffing, no framing, no referrer leaving the app, no powerful features. */
export const STATIC_SECURITY_HEADERS: Record<string, string> = {
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "same-origin",
  "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), hid=(), bluetooth=(), browsing-topics=()",
  "cross-origin-opener-policy": "same-origin",
};

/** Strict-Transport-Security, sent only when the app is served over https (a plain-http app must stay reachable). */
export const HSTS = "max-age=31536000; includeSubDomains";

/** For responses that are not pages (JSON, downloads, static files): nothing may load or frame them. */
export const NON_PAGE_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * Pages: scripts only with this request's nonce (Next puts it on its own scripts) or loaded by such a script;
 * images, fonts, styles and connections only from the app itself: untrusted markdown can load nothing from elsewhere.
 * Styles allow inline attributes (React's style={…} for progress bars); scripts never run inline without the nonce.
 */
export function pageContentSecurityPolicy(nonce: string, development: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self'",
    "font-src 'self'",
    `connect-src 'self'${development ? " ws:" : ""}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** The policy of a path: the API reference keeps its own (Swagger UI needs data: images), the API none at all. */
export function contentSecurityPolicyFor(pathname: string, nonce: string, development: boolean): string {
  if (pathname === "/api/docs" || pathname.startsWith("/api/docs/")) return DOCS_CONTENT_SECURITY_POLICY;
  if (pathname.startsWith("/api/")) return NON_PAGE_CSP;
  return pageContentSecurityPolicy(nonce, development);
}

/** A session cookie of next-auth is on the request (plain or __Secure-, possibly split in chunks). */
export function hasSessionCookie(cookieHeader: string | null): boolean {
  return !!cookieHeader && /(?:^|;\s*)(?:__Secure-)?next-auth\.session-token(?:\.\d+)?=/.test(cookieHeader);
}
