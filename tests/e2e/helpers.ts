import { readFileSync } from "node:fs";
import { expect, type Page } from "@playwright/test";
import { PASSWORD, TOKENS_FILE } from "./fixtures";

export async function signIn(page: Page, email: string) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/sign-in/);
}

export async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/sign-in/);
}

export function e2eState(): { tokens: Record<string, string>; batches: Record<string, string>; modelVariants: string[]; fakeModelServer: string } {
  return JSON.parse(readFileSync(TOKENS_FILE, "utf8"));
}
