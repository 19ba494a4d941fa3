// A researcher previews a dataset with live counts, saves it, and downloads it as JSONL and as a bundle.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { expect, test } from "@playwright/test";
import { USERS } from "./fixtures";
import { signIn } from "./helpers";

test("researcher saves a dataset on the page and downloads it", async ({ page }) => {
  await signIn(page, USERS.researcher.email);
  await expect(page).toHaveURL(/\/exports$/);
  await page.getByLabel("E2E helpfulness").check();
  await expect(page.getByTestId("preview-rows")).toHaveText("3 rows");
  await expect(page.getByTestId("table6")).toContainText("Avg. tokens in response");

  // A mixed selection needs a focus: the page asks for it in its own words, and Download waits for it.
  await page.getByLabel("E2E safety").check();
  await page.getByRole("combobox", { name: /^Focus/ }).selectOption("");
  await expect(page.getByTestId("focus-needed")).toContainText("choose which one this dataset is for");
  await expect(page.getByTestId("download-export")).toBeDisabled();
  await expect(page.getByTestId("download-reason")).toHaveText("Choose a focus first.");
  // Saving it is refused before any work, naming the control, not a parameter.
  await page.getByLabel("Name").fill("e2e-mixed");
  await page.getByRole("button", { name: "Save dataset" }).click();
  await expect(page.getByTestId("save-result")).toContainText("choose Helpfulness or Safety under Focus");
  await expect(page.getByTestId("save-result")).not.toContainText("focus=");
  await page.getByLabel("E2E safety").uncheck();
  await expect(page.getByTestId("preview-rows")).toHaveText("3 rows");

  await page.getByLabel("Name").fill("e2e-helpful");
  // Row ids are on by default for TRL; the bundle carries Parquet beside JSON Lines.
  await expect(page.getByTestId("row-ids")).toBeChecked();
  await page.getByTestId("data-files").selectOption("both");
  await page.getByRole("button", { name: "Save dataset" }).click();
  await expect(page.getByTestId("save-result")).toContainText("Saved “e2e-helpful”: 3 rows.");
  await expect(page.getByTestId("save-progress")).toHaveCount(0);
  await expect(page.getByTestId("dataset-list")).toContainText("e2e-helpful");
  await page.screenshot({ path: "test-results/screens/datasets.png", fullPage: true });

  const [jsonl] = await Promise.all([page.waitForEvent("download"), page.getByTestId("dataset-jsonl-e2e-helpful").click()]);
  expect(jsonl.suggestedFilename()).toBe("e2e-helpful.trl-reward.jsonl");
  const bytes = readFileSync((await jsonl.path())!);
  const lines = bytes
    .toString("utf8")
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l));
  expect(lines).toHaveLength(3);
  for (const line of lines) expect(Object.keys(line)).toEqual(["chosen", "rejected", "margin", "comparison_id", "judgement_ids"]);

  const list = await page.request.get("/api/v1/datasets");
  const { datasets } = await list.json();
  const saved = datasets.find((d: { name: string }) => d.name === "e2e-helpful");
  const manifest = await (await page.request.get(`/api/v1/datasets/${saved.id}/manifest`)).json();
  expect(createHash("sha256").update(bytes).digest("hex")).toBe(manifest.download.sha256);
  expect(manifest.files.map((f: { path: string }) => f.path)).toEqual([
    "data/train.parquet",
    "data/test.parquet",
    "data/train.jsonl",
    "data/test.jsonl",
  ]);

  const [bundle] = await Promise.all([page.waitForEvent("download"), page.getByTestId("dataset-bundle-e2e-helpful").click()]);
  expect(bundle.suggestedFilename()).toBe("e2e-helpful.hf.tar.gz");
  const tarball = gunzipSync(readFileSync((await bundle.path())!)).toString("latin1");
  expect(tarball).toContain("README.md");
  expect(tarball).toContain("data/train.jsonl");
  expect(tarball).toContain("data/train.parquet");
  expect(tarball).toContain("configs:");

  // The page at the two sizes people use it: the row-ids and bundle controls fit on a phone too.
  for (const [size, viewport] of [
    ["desktop", { width: 1440, height: 900 }],
    ["phone", { width: 390, height: 844 }],
  ] as const) {
    await page.setViewportSize(viewport);
    await page.screenshot({ path: `test-results/screens/datasets-${size}.png`, fullPage: size === "phone" });
  }
});
