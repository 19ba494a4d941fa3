// The one declaration of every export format's fields and their types. From it come: the JSON text of each row
// (fields in this order, every field present, floats always written with a decimal point), the dataset card's
// `dataset_info.features`, and the Parquet schema. A row that does not fit its declaration is a bug and throws.
//
// Why floats get a decimal point: `datasets` (pyarrow) types a JSON number by its text, so a file whose margins
// happen to be whole (3, 2, 1, 0) would load as int64 and refuse to concatenate with one holding 0.6666.

export type Feature =
  | { type: "string" | "int64" | "float64" | "bool"; nullable?: boolean }
  | { type: "list"; item: Feature }
  | { type: "struct"; fields: Fields; nullable?: boolean };
export type Fields = readonly (readonly [string, Feature])[];

export const string: Feature = { type: "string" };
export const int64: Feature = { type: "int64" };
export const float64: Feature = { type: "float64" };
export const bool: Feature = { type: "bool" };
export const list = (item: Feature): Feature => ({ type: "list", item });
export const struct = (fields: Fields): Feature => ({ type: "struct", fields });
export const nullable = (feature: Feature): Feature => {
  if (feature.type === "list") throw new Error("lists are never null: write an empty list");
  return { ...feature, nullable: true };
};

/** A message of a conversation, as TRL and OpenAI read it. */
export const messageFeature = struct([
  ["role", string],
  ["content", string],
]);

// ---------------------------------------------------------------------------------------------------------
// JSON text

export type RowEncoder = (row: unknown) => string;

class RowTypeError extends Error {}

function fail(path: string, expected: string, value: unknown): never {
  throw new RowTypeError(`${path || "row"}: expected ${expected}, got ${value === null ? "null" : typeof value}`);
}

/** The JSON text of a float: always with a decimal point or an exponent, so readers type it as a float. */
export function floatText(value: number): string {
  const text = String(value);
  return /[.eE]/.test(text) || !Number.isFinite(value) ? text : `${text}.0`;
}

function compile(feature: Feature, path: string): RowEncoder {
  const orNull = (encode: RowEncoder): RowEncoder =>
    "nullable" in feature && feature.nullable
      ? (v) => (v === null || v === undefined ? "null" : encode(v))
      : (v) => (v === null || v === undefined ? fail(path, feature.type, v) : encode(v));
  switch (feature.type) {
    case "string":
      return orNull((v) => (typeof v === "string" ? JSON.stringify(v) : fail(path, "a string", v)));
    case "int64":
      return orNull((v) => (typeof v === "number" && Number.isSafeInteger(v) ? String(v) : fail(path, "an integer", v)));
    case "float64":
      return orNull((v) => (typeof v === "number" && Number.isFinite(v) ? floatText(v) : fail(path, "a finite number", v)));
    case "bool":
      return orNull((v) => (typeof v === "boolean" ? (v ? "true" : "false") : fail(path, "a boolean", v)));
    case "list": {
      const item = compile(feature.item, `${path}[]`);
      return (v) => {
        if (!Array.isArray(v)) fail(path, "a list", v);
        let out = "[";
        for (let i = 0; i < v.length; i++) out += (i === 0 ? "" : ",") + item(v[i]);
        return out + "]";
      };
    }
    case "struct": {
      const parts = feature.fields.map(([name, f], i) => ({
        name,
        prefix: (i === 0 ? "{" : ",") + JSON.stringify(name) + ":",
        encode: compile(f, path ? `${path}.${name}` : name),
      }));
      return orNull((v) => {
        if (typeof v !== "object" || Array.isArray(v)) fail(path, "an object", v);
        const record = v as Record<string, unknown>;
        let out = "";
        for (const part of parts) out += part.prefix + part.encode(record[part.name]);
        return parts.length === 0 ? "{}" : out + "}";
      });
    }
  }
}

/** An encoder for rows of `fields`: exactly these keys, in this order, each of its declared type. */
export function rowEncoder(fields: Fields): RowEncoder {
  return compile(struct(fields), "");
}

// ---------------------------------------------------------------------------------------------------------
// The dataset card's YAML (Hugging Face `dataset_info.features`)

function yamlFeature(feature: Feature, indent: string): string[] {
  switch (feature.type) {
    case "string":
    case "int64":
    case "float64":
      return [`${indent}dtype: ${feature.type}`];
    case "bool":
      return [`${indent}dtype: bool`];
    case "list":
      if (feature.item.type === "struct") return [`${indent}list:`, ...yamlFields(feature.item.fields, indent)];
      if (feature.item.type === "list") throw new Error("lists of lists are not declared");
      return [`${indent}sequence: ${feature.item.type}`];
    case "struct":
      return [`${indent}struct:`, ...yamlFields(feature.fields, indent)];
  }
}

function yamlFields(fields: Fields, indent: string): string[] {
  return fields.flatMap(([name, feature]) => [`${indent}- name: ${name}`, ...yamlFeature(feature, `${indent}  `)]);
}

/**
 * `dataset_info` lines of a dataset card's front matter (datasets' own YAML form): the features of the one default
 * config, or with several configs a list entry per config (each reads the same rows).
 */
export function datasetInfoYaml(fields: Fields, configs: readonly string[] = ["default"]): string[] {
  if (configs.length === 1 && configs[0] === "default") return ["dataset_info:", "  features:", ...yamlFields(fields, "  ")];
  return ["dataset_info:", ...configs.flatMap((name) => [`- config_name: ${name}`, "  features:", ...yamlFields(fields, "  ")])];
}

/** One line per field for humans: dotted path, type, and whether it may be null. */
export function describeFields(fields: Fields, prefix = ""): { path: string; type: string; nullable: boolean }[] {
  return fields.flatMap(([name, feature]) => {
    const path = `${prefix}${name}`;
    if (feature.type === "list") {
      if (feature.item.type === "struct") return [{ path, type: "list", nullable: false }, ...describeFields(feature.item.fields, `${path}[].`)];
      return [{ path, type: `list of ${feature.item.type}`, nullable: false }];
    }
    if (feature.type === "struct")
      return [{ path, type: "struct", nullable: feature.nullable === true }, ...describeFields(feature.fields, `${path}.`)];
    return [{ path, type: feature.type, nullable: feature.nullable === true }];
  });
}

// ---------------------------------------------------------------------------------------------------------
// Parquet schema (the SchemaElement list of parquet-format, depth first), for hyparquet-writer

export type ParquetSchemaElement = {
  name: string;
  type?: "BOOLEAN" | "INT64" | "DOUBLE" | "BYTE_ARRAY";
  converted_type?: "UTF8" | "LIST";
  logical_type?: { type: "STRING" };
  repetition_type?: "REQUIRED" | "OPTIONAL" | "REPEATED";
  num_children?: number;
};

function parquetElements(name: string, feature: Feature, repetition: "REQUIRED" | "OPTIONAL"): ParquetSchemaElement[] {
  const rep = "nullable" in feature && feature.nullable ? "OPTIONAL" : repetition;
  switch (feature.type) {
    case "string":
      return [{ name, type: "BYTE_ARRAY", converted_type: "UTF8", logical_type: { type: "STRING" }, repetition_type: rep }];
    case "int64":
      return [{ name, type: "INT64", repetition_type: rep }];
    case "float64":
      return [{ name, type: "DOUBLE", repetition_type: rep }];
    case "bool":
      return [{ name, type: "BOOLEAN", repetition_type: rep }];
    case "list":
      // The three-level LIST of the Parquet spec, named as pyarrow names it (list / element).
      return [
        { name, repetition_type: rep, converted_type: "LIST", num_children: 1 },
        { name: "list", repetition_type: "REPEATED", num_children: 1 },
        ...parquetElements("element", feature.item, "REQUIRED"),
      ];
    case "struct":
      return [
        { name, repetition_type: rep, num_children: feature.fields.length },
        ...feature.fields.flatMap(([n, f]) => parquetElements(n, f, "REQUIRED")),
      ];
  }
}

export function parquetSchema(fields: Fields): ParquetSchemaElement[] {
  return [{ name: "root", num_children: fields.length }, ...fields.flatMap(([name, feature]) => parquetElements(name, feature, "REQUIRED"))];
}

/** Converts a value for the Parquet writer: int64 values become BigInt (hyparquet-writer requires them so). */
function parquetValue(feature: Feature): ((value: unknown) => unknown) | null {
  switch (feature.type) {
    case "int64":
      return (v) => (typeof v === "number" ? BigInt(v) : v);
    case "list": {
      const item = parquetValue(feature.item);
      return item && ((v) => (Array.isArray(v) ? v.map(item) : v));
    }
    case "struct": {
      const parts = feature.fields.map(([name, f]) => [name, parquetValue(f)] as const);
      if (parts.every(([, convert]) => convert === null)) return null;
      return (v) => {
        if (v === null || typeof v !== "object") return v;
        const record = v as Record<string, unknown>;
        return Object.fromEntries(parts.map(([name, convert]) => [name, convert ? convert(record[name]) : record[name]]));
      };
    }
    default:
      return null;
  }
}

/** Per top-level column, the conversion its values need before hyparquet-writer takes them (null: none). */
export function parquetColumnConverters(fields: Fields): ((value: unknown) => unknown)[] {
  return fields.map(([, feature]) => parquetValue(feature) ?? ((v) => v));
}
