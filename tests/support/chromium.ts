// Which Chromium the browser tests and benchmarks drive: Playwright's own where installed, else the system one
// (Debian's `chromium`); CHROMIUM_PATH wins. The flags keep it from reaching out to a network it cannot reach.
import { existsSync } from "node:fs";
import { chromium } from "@playwright/test";

export function chromiumPath(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  if (existsSync(chromium.executablePath())) return undefined;
  return existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined;
}

export const CHROMIUM_ARGS = ["--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"];
