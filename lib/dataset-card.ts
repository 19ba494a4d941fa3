// The README.md of a Hugging Face dataset bundle: YAML front matter the Hub reads (configs, splits, licence,
// task categories), then the statistics a researcher checks before training.
import type { ExportStats } from "./export-stats";
import { datasetInfoYaml, describeFields, type Fields } from "./export-features";
import { DEGREES, DEGREE_LABELS, SAFETY_BINS, SAFETY_BIN_LABELS } from "./protocol";

export type DatasetCardInput = {
  name: string;
  format: string;
  focus: string | null;
  license: string;
  cutoff: string;
  split: { salt: string; testFraction: number };
  options: Record<string, unknown>;
  filters: Record<string, unknown>;
  stats: ExportStats;
  /** The bundle's data files: data/{train,test}.jsonl and/or data/{train,test}.parquet. */
  files: { path: string; rows: number; bytes: number; sha256: string }[];
  /** The rows' fields and types (lib/export-formats.ts exportFields). */
  fields: Fields;
  /** How row ids appear, said in the card (they depend on the format and the `ids` option). */
  idsNote: string;
  platformVersion: string;
  tokenizer: string;
};

function sizeCategory(n: number): string {
  if (n < 1_000) return "n<1K";
  if (n < 10_000) return "1K<n<10K";
  if (n < 100_000) return "10K<n<100K";
  if (n < 1_000_000) return "100K<n<1M";
  return "1M<n<10M";
}

/** YAML strings are always double-quoted JSON strings: valid YAML, no escaping surprises. */
const yaml = (value: string) => JSON.stringify(value);

/**
 * The card's `configs`: the default config reads Parquet when the bundle has it (the Hub's preferred format), and a
 * bundle with both also has a `jsonl` config over the JSON Lines files.
 */
function configNames(paths: readonly string[]): string[] {
  return paths.includes("data/train.parquet") && paths.includes("data/train.jsonl") ? ["default", "jsonl"] : ["default"];
}

function configLines(paths: readonly string[]): string[] {
  const config = (name: string, kind: string) => [
    `- config_name: ${name}`,
    "  data_files:",
    ...["train", "test"].flatMap((split) => [`  - split: ${split}`, `    path: data/${split}.${kind}`]),
  ];
  const [, second] = configNames(paths);
  return ["configs:", ...config("default", paths.includes("data/train.parquet") ? "parquet" : "jsonl"), ...(second ? config(second, "jsonl") : [])];
}

export function renderDatasetCard(input: DatasetCardInput): string {
  const { stats } = input;
  const lines = [
    "---",
    `pretty_name: ${yaml(input.name)}`,
    `license: ${yaml(input.license)}`,
    "task_categories:",
    "- text-generation",
    "- text-classification",
    "tags:",
    "- rlhf",
    "- reward-modeling",
    "- human-preference",
    `- ${yaml(input.format)}`,
    "size_categories:",
    `- ${yaml(sizeCategory(stats.rows))}`,
    ...configLines(input.files.map((f) => f.path)),
    // Declared, so every split and every file loads with the same types (a column that is null throughout a
    // file would otherwise be typed null and refuse to join one with values).
    ...datasetInfoYaml(input.fields, configNames(input.files.map((f) => f.path))),
    "---",
    "",
    `# ${input.name}`,
    "",
    `Pairwise human preference data in the \`${input.format}\` format${input.focus ? `, ${input.focus} focus` : ""}, exported by Pairwise ${input.platformVersion}.`,
    "Each example is one prompt (with the dialogue before it) and two model responses, one chosen by a human annotator",
    "in a forced choice, with the degree of preference (Touvron et al. 2023, Llama 2, §3.2.1).",
    "",
    "## Statistics",
    "",
    "| | value |",
    "|---|---|",
    `| examples | ${stats.rows} |`,
    `| comparisons | ${stats.comparisons} |`,
    `| dialogues | ${stats.dialogues} |`,
  ];
  if (stats.table6) {
    lines.push(
      `| average turns per dialogue | ${stats.table6.avgTurnsPerDialogue} |`,
      `| average tokens per example | ${stats.table6.avgTokensPerExample} |`,
      `| average tokens in prompt | ${stats.table6.avgTokensInPrompt} |`,
      `| average tokens in response | ${stats.table6.avgTokensInResponse} |`,
    );
  }
  // The protocol's order, never the stored object's (Postgres jsonb sorts keys by length).
  lines.push("", `Tokens counted with ${input.tokenizer}.`, "", "| degree | examples |", "|---|---|");
  for (const degree of DEGREES) lines.push(`| ${DEGREE_LABELS[degree]} | ${stats.perDegree[degree] ?? 0} |`);
  lines.push("", "| safety | examples |", "|---|---|");
  for (const bin of SAFETY_BINS) lines.push(`| ${SAFETY_BIN_LABELS[bin]} | ${stats.perSafetyBin[bin] ?? 0} |`);
  lines.push(`| not labelled | ${stats.perSafetyBin.none ?? 0} |`);
  lines.push(
    "",
    "## Fields",
    "",
    `Every row has every field, of one type in every file (declared in \`dataset_info\` above). ${input.idsNote}`,
    "",
    "| field | type | may be null |",
    "|---|---|---|",
    ...describeFields(input.fields).map((f) => `| \`${f.path}\` | ${f.type} | ${f.nullable ? "yes" : "no"} |`),
  );
  lines.push(
    "",
    "## Splits",
    "",
    `A dialogue is in \`test\` when the first 8 bytes of sha256(salt + "|" + dialogue_id), read as an unsigned`,
    `integer over 2^64, fall below ${input.split.testFraction}; salt \`${input.split.salt}\`. Every turn of a dialogue is on one side.`,
    "",
    "| file | rows | bytes | sha256 |",
    "|---|---|---|---|",
    ...input.files.map((f) => `| ${f.path} | ${f.rows} | ${f.bytes} | \`${f.sha256}\` |`),
    "",
    "## Provenance",
    "",
    `Judgements made up to ${input.cutoff}. Annotators appear only as keyed pseudonyms.`,
    "",
    "```json",
    JSON.stringify({ filters: input.filters, options: input.options }, null, 2),
    "```",
    "",
  );
  return lines.join("\n");
}
