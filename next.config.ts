import type { NextConfig } from "next";
import { NON_PAGE_CSP, STATIC_SECURITY_HEADERS } from "./server/http/security-headers";

const staticHeaders = Object.entries(STATIC_SECURITY_HEADERS).map(([key, value]) => ({ key, value }));

const nextConfig: NextConfig = {
  // Packages with native or WASM parts stay outside the server bundle.
  serverExternalPackages: ["@node-rs/argon2", "pg", "pg-query-stream", "@prisma/adapter-pg"],
  poweredByHeader: false,
  // npm start's first build skips the type-check (npm test and CI run it): a user starting Pairwise waits for what
  // serving it needs, no more.
  typescript: { ignoreBuildErrors: process.env.PAIRWISE_SKIP_TYPECHECK === "1" },
  typedRoutes: false,
  experimental: {
    // forbidden() answers 403 for pages a role may not open (components/ui/forbidden.tsx).
    authInterrupts: true,
  },
  // proxy.ts sets these (and the page CSP with its nonce) on everything else; build files skip the proxy.
  async headers() {
    return [{ source: "/_next/static/:path*", headers: [...staticHeaders, { key: "content-security-policy", value: NON_PAGE_CSP }] }];
  },
};

export default nextConfig;
