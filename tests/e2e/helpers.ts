import { readFileSync } from "node:fs";
import { expect, type Page } from "@playwright/test";
import { PASSWORD, TOKENS_FILE } from "./fixtures";

/** Waits until React has hydrated the page (components/ui/hydration-marker.tsx): keys and clicks then reach it. */
export async function waitForApp(page: Page) {
  await page.locator('html[data-hydrated="true"]').waitFor({ state: "attached" });
}

export async function gotoApp(page: Page, url: string) {
  await page.goto(url);
  await waitForApp(page);
}

export async function signIn(page: Page, email: string) {
  await gotoApp(page, "/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/sign-in/);
  await waitForApp(page);
}

export async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/sign-in/);
}

export function e2eState(): {
  tokens: Record<string, string>;
  batches: Record<string, string>;
  modelVariants: string[];
  fakeModelServer: string;
  slowModelServer: string;
} {
  return JSON.parse(readFileSync(TOKENS_FILE, "utf8"));
}
