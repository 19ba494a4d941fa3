import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Packages with native or WASM parts stay outside the server bundle.
  serverExternalPackages: ["@node-rs/argon2", "pg", "pg-query-stream", "@prisma/adapter-pg"],
  poweredByHeader: false,
  typedRoutes: false,
};

export default nextConfig;
