// npm run export -- --format trl-reward --batch ID [--batch ID2] [--margin large] --out file.jsonl
// Streams an export to a file (or stdout) with a progress bar on stderr. Whoever holds DATABASE_URL already
// holds the data, so the CLI acts as the operator, like user:create.
import "dotenv/config";
import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { SingleBar, Presets } from "cli-progress";
import { readFlags, runCli } from "./args";
import { fileBatches, prepareExport } from "../exports/prepare-export";
import { encodeLines } from "../exports/encode-lines";
import { operatorActor } from "../auth/operator";

const USAGE = `npm run export -- --format canonical|trl-reward|trl-dpo|openai-dpo|hh-rlhf|arena|arena-jsonl --out FILE
  [--batch ID]… [--focus helpfulness|safety] [--from DATE] [--to DATE] [--vendor NAME]… [--min-degree D]
  [--safety-bin BIN]… [--split train|test] [--margin none|small|large] [--aggregate all|majority|unanimous]
  [--include-unsafe-chosen] [--ids | --no-ids] [--salt S] [--test-fraction F] [--gzip]`;

const flags = readFlags(
  {
    format: { type: "string" },
    out: { type: "string" },
    batch: { type: "string", multiple: true },
    focus: { type: "string" },
    from: { type: "string" },
    to: { type: "string" },
    vendor: { type: "string", multiple: true },
    "min-degree": { type: "string" },
    "safety-bin": { type: "string", multiple: true },
    split: { type: "string" },
    margin: { type: "string" },
    aggregate: { type: "string" },
    "include-unsafe-chosen": { type: "boolean" },
    ids: { type: "boolean" },
    "no-ids": { type: "boolean" },
    salt: { type: "string" },
    "test-fraction": { type: "string" },
    gzip: { type: "boolean" },
  },
  USAGE,
);

void runCli(async () => {
  const prepared = await prepareExport(operatorActor(), {
    format: flags.format,
    batches: flags.batch,
    focus: flags.focus,
    from: flags.from,
    to: flags.to,
    vendors: flags.vendor,
    minDegree: flags["min-degree"],
    safetyBins: flags["safety-bin"],
    split: flags.split,
    margin: flags.margin,
    aggregate: flags.aggregate,
    includeUnsafeChosen: flags["include-unsafe-chosen"],
    ids: flags["no-ids"] ? false : flags.ids,
    salt: flags.salt,
    testFraction: flags["test-fraction"],
    gzip: flags.gzip,
  });
  const total = await prepared.countJudgements();
  const out = flags.out && flags.out !== "-" ? createWriteStream(flags.out) : process.stdout;
  const bar = new SingleBar(
    { format: "exporting {bar} {value}/{total} judgements read · {rows} rows written", stream: process.stderr, hideCursor: true },
    Presets.shades_classic,
  );
  bar.start(total, 0, { rows: 0 });
  // Judgements read advance the bar; aggregation and the format's rules decide how many rows are written.
  let read = 0;
  let rows = 0;
  const counted = (async function* () {
    for await (const batch of prepared.entryBatches({ onRead: () => (read += 1) })) {
      rows += batch.length;
      bar.update(read, { rows });
      yield batch;
    }
  })();
  for await (const chunk of encodeLines(fileBatches(prepared.format, counted), { gzip: prepared.options.gzip === true })) {
    if (!out.write(chunk)) await once(out, "drain");
  }
  bar.update(total, { rows });
  bar.stop();
  if (out !== process.stdout) {
    out.end();
    await once(out, "finish");
  }
  console.error(`${rows} rows (${prepared.format}) from ${total} judgements${flags.out && flags.out !== "-" ? ` → ${flags.out}` : ""}`);
});
