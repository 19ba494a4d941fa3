// One export in its own process, so its peak memory is its own: prints {rows, seconds, maxRssMb} as JSON.
import { Writable } from "node:stream";
import { prepareExport } from "../../server/exports/prepare-export";
import { encodeLines } from "../../server/exports/encode-lines";
import { operatorActor } from "../../server/auth/operator";
import { closePgPool } from "../../server/pg-pool";
import { disconnectDb } from "../../server/db";

async function main() {
  const [format, ...batches] = process.argv.slice(2);
  const prepared = await prepareExport(operatorActor(), { format, batches, aggregate: "all", minDegree: "negligibly_better_or_unsure" });
  // Bytes go to a sink that only counts them, like a socket that keeps up.
  let bytes = 0;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      done();
    },
  });
  let rows = 0;
  const started = process.hrtime.bigint();
  const counted = (async function* () {
    for await (const batch of prepared.entryBatches()) {
      rows += batch.length;
      yield batch.map((entry) => entry.line);
    }
  })();
  for await (const chunk of encodeLines(counted)) if (!sink.write(chunk)) await new Promise((r) => sink.once("drain", r));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await closePgPool();
  await disconnectDb();
  console.log(JSON.stringify({ rows, bytes, seconds, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
}

void main();
