// Where to send a browser after sign-in (or any URL taken from a request): only a path of the app itself.

/**
 * The path (with query and hash) of `value` when it is a plain path of the app at `appOrigin`, else `fallback`.
 * Refused: absolute and protocol-relative URLs, backslashes (browsers read "/\evil" as "//evil"), control
 * characters and whitespace (a tab inside "/\t/evil" is dropped by URL parsers), and anything whose parsed
 * origin is not the app's.
 */
export function safeRedirectPath(value: unknown, appOrigin: string, fallback = "/"): string {
  if (typeof value !== "string" || value === "" || value.length > 2000) return fallback;
  if (!value.startsWith("/") || value.startsWith("//")) return fallback;
  // Raw, and once percent-decoded: "/%5Cevil" and "/%09/evil" must not slip past as encoded text.
  let decoded: string;
  try {
    decoded = decodeURIComponent(value);
  } catch {
    return fallback;
  }
  for (const text of [value, decoded]) {
    if (text.includes("\\") || /[\u0000-\u0020\u007f-\u009f]/.test(text) || text.startsWith("//")) return fallback;
  }
  let url: URL;
  try {
    url = new URL(value, appOrigin);
  } catch {
    return fallback;
  }
  if (url.origin !== new URL(appOrigin).origin) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}
