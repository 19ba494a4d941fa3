import { describe, expect, it } from "vitest";
import {
  datasetInfoYaml,
  floatText,
  list,
  nullable,
  parquetSchema,
  rowEncoder,
  string,
  struct,
  float64,
  int64,
  bool,
  type Fields,
} from "@/lib/export-features";
import { arenaLanguage } from "@/lib/arena-language";

const fields: Fields = [
  ["name", string],
  ["score", float64],
  ["count", int64],
  ["ok", nullable(bool)],
  ["tags", list(string)],
  ["inner", struct([["a", nullable(string)]])],
];

describe("rowEncoder", () => {
  const encode = rowEncoder(fields);

  it("writes the declared fields in order, floats always with a decimal point", () => {
    expect(encode({ tags: ["x"], count: 2, name: "n", score: 3, ok: null, inner: { a: "é" } })).toBe(
      '{"name":"n","score":3.0,"count":2,"ok":null,"tags":["x"],"inner":{"a":"é"}}',
    );
    expect(encode({ name: "n", score: 0.5, count: 0, tags: [], inner: {} })).toBe(
      '{"name":"n","score":0.5,"count":0,"ok":null,"tags":[],"inner":{"a":null}}',
    );
  });

  it("refuses a value of another type, and a null where none is allowed", () => {
    expect(() => encode({ name: "n", score: "3", count: 1, tags: [], inner: {} })).toThrow(/score: expected a finite number, got string/);
    expect(() => encode({ name: "n", score: 1, count: 1.5, tags: [], inner: {} })).toThrow(/count: expected an integer/);
    expect(() => encode({ name: null, score: 1, count: 1, tags: [], inner: {} })).toThrow(/name: expected string, got null/);
  });

  it("floatText keeps exponents and fractions as they are", () => {
    expect([floatText(1), floatText(-0), floatText(2 / 3), floatText(1e21), floatText(1e-7)]).toEqual([
      "1.0",
      "0.0",
      "0.6666666666666666",
      "1e+21",
      "1e-7",
    ]);
  });
});

describe("declarations", () => {
  it("become dataset_info features in datasets' YAML", () => {
    expect(datasetInfoYaml(fields).join("\n")).toBe(
      [
        "dataset_info:",
        "  features:",
        "  - name: name",
        "    dtype: string",
        "  - name: score",
        "    dtype: float64",
        "  - name: count",
        "    dtype: int64",
        "  - name: ok",
        "    dtype: bool",
        "  - name: tags",
        "    sequence: string",
        "  - name: inner",
        "    struct:",
        "    - name: a",
        "      dtype: string",
      ].join("\n"),
    );
  });

  it("give every config its features when a card has several", () => {
    const yaml = datasetInfoYaml([["name", string]], ["default", "jsonl"]).join("\n");
    expect(yaml).toBe(
      [
        "dataset_info:",
        "- config_name: default",
        "  features:",
        "  - name: name",
        "    dtype: string",
        "- config_name: jsonl",
        "  features:",
        "  - name: name",
        "    dtype: string",
      ].join("\n"),
    );
  });

  it("become a Parquet schema with three-level lists and optional nullable fields", () => {
    expect(
      parquetSchema([
        ["tags", list(string)],
        ["ok", nullable(bool)],
      ]),
    ).toEqual([
      { name: "root", num_children: 2 },
      { name: "tags", repetition_type: "REQUIRED", converted_type: "LIST", num_children: 1 },
      { name: "list", repetition_type: "REPEATED", num_children: 1 },
      { name: "element", type: "BYTE_ARRAY", converted_type: "UTF8", logical_type: { type: "STRING" }, repetition_type: "REQUIRED" },
      { name: "ok", type: "BOOLEAN", repetition_type: "OPTIONAL" },
    ]);
  });
});

describe("arenaLanguage", () => {
  it("names a language tag as FastChat (polyglot/ICU) does, or unknown", () => {
    expect(["en", "EN", "en-US", "eng", "English", "english", "zh-Hant", "de", "", "xx", undefined, 3].map(arenaLanguage)).toEqual([
      "English",
      "English",
      "English",
      "English",
      "English",
      "English",
      "Chinese",
      "German",
      "unknown",
      "unknown",
      "unknown",
      "unknown",
    ]);
  });
});
