import { createTestDatabase } from "../../tests/support/test-database";
import { generateBenchData } from "./generate";
async function main() {
  const url = await createTestDatabase("pw_bench_keep");
  await generateBenchData(url, 300_000, 30_000);
  console.log(url);
}
void main();
