// zod inputs for model variants, shared by forms and the HTTP API. A variant names the env var of its API key,
// never the key itself.
import { z } from "zod";
import { API_KEY_ENV_NAME, MODEL_KEY_PREFIX } from "../env";
import { endpointHostProblem } from "./endpoint-hosts";

/** Unknown keys are named in the error: an "apiKey" sent by mistake is refused, never silently dropped. */
function objectError(expected: string, why: string) {
  return (issue: { code?: string; keys?: readonly PropertyKey[] }): string =>
    issue.code === "unrecognized_keys" ? `${(issue.keys ?? []).map((k) => `"${String(k)}"`).join(", ")}: ${why}` : `must be ${expected}`;
}

export const defaultSamplingSchema = z.strictObject(
  {
    temperature: z.number({ error: "must be a number" }).min(0, "must be at least 0").max(2, "must be at most 2").optional(),
    top_p: z.number({ error: "must be a number" }).gt(0, "must be above 0").max(1, "must be at most 1").optional(),
    max_tokens: z.number({ error: "must be a number" }).int("must be a whole number").min(1, "must be at least 1").max(1_000_000).optional(),
  },
  { error: objectError("an object {temperature?, top_p?, max_tokens?}", "takes only temperature, top_p and max_tokens") },
);
export type DefaultSampling = z.infer<typeof defaultSamplingSchema>;

const temperatureBound = z.number({ error: "must be a number" }).min(0, "must be at least 0").max(2, "must be at most 2");

const fields = {
  name: z.string({ error: "is required" }).trim().min(1, "is required").max(200, "must be at most 200 characters"),
  version: z.string().trim().max(200, "must be at most 200 characters"),
  // vLLM serves at http://host:8000/v1, Ollama at http://host:11434/v1: the SDK appends /chat/completions.
  baseUrl: z
    .url({ protocol: /^https?$/, error: "must be an http(s) URL, e.g. http://127.0.0.1:8000/v1" })
    .max(2000)
    .transform((url) => url.replace(/\/+$/, ""))
    .superRefine((url, ctx) => {
      const problem = endpointHostProblem(url);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    }),
  modelId: z.string({ error: "is required" }).trim().min(1, "is required").max(500),
  apiKeyEnv: z
    .string()
    .regex(
      API_KEY_ENV_NAME,
      `must be the NAME of an environment variable starting with ${MODEL_KEY_PREFIX} (A-Z, 0-9, _), e.g. ${MODEL_KEY_PREFIX}VLLM, not the key itself`,
    )
    .nullable(),
  defaultSampling: defaultSamplingSchema,
  temperatureMin: temperatureBound.nullable(),
  temperatureMax: temperatureBound.nullable(),
  maxConcurrency: z.number({ error: "must be a number" }).int("must be a whole number").min(1, "must be at least 1").max(256, "must be at most 256"),
  timeoutMs: z
    .number({ error: "must be a number" })
    .int("must be a whole number")
    .min(100, "must be at least 100")
    .max(3_600_000, "must be at most an hour"),
  active: z.boolean({ error: "must be true or false" }),
};

type Range = { temperatureMin?: number | null; temperatureMax?: number | null };

/** Both bounds or neither, min ≤ max. Returns the message, or null when the range is fine. */
export function temperatureRangeProblem(range: Range): { path: "temperatureMin" | "temperatureMax"; message: string } | null {
  const min = range.temperatureMin ?? null;
  const max = range.temperatureMax ?? null;
  if ((min === null) !== (max === null)) {
    return { path: min === null ? "temperatureMin" : "temperatureMax", message: "give both temperatureMin and temperatureMax, or neither" };
  }
  if (min !== null && max !== null && min > max) return { path: "temperatureMin", message: "must not exceed temperatureMax" };
  return null;
}

export const createModelVariantSchema = z
  .strictObject(
    {
      name: fields.name,
      version: fields.version.default(""),
      baseUrl: fields.baseUrl,
      modelId: fields.modelId,
      apiKeyEnv: fields.apiKeyEnv.default(null),
      defaultSampling: fields.defaultSampling.default({}),
      temperatureMin: fields.temperatureMin.default(null),
      temperatureMax: fields.temperatureMax.default(null),
      maxConcurrency: fields.maxConcurrency.default(4),
      timeoutMs: fields.timeoutMs.default(60_000),
      active: fields.active.default(true),
    },
    { error: objectError("a JSON object", "a model variant has no such field") },
  )
  .superRefine((value, ctx) => {
    const problem = temperatureRangeProblem(value);
    if (problem) ctx.addIssue({ code: "custom", path: [problem.path], message: problem.message });
  });
export type CreateModelVariantInput = z.input<typeof createModelVariantSchema>;

/** PATCH: only the fields sent change; null clears an optional one. The range is checked after merging. */
export const updateModelVariantSchema = z.strictObject(
  {
    name: fields.name.optional(),
    version: fields.version.optional(),
    baseUrl: fields.baseUrl.nullable().optional(),
    modelId: fields.modelId.nullable().optional(),
    apiKeyEnv: fields.apiKeyEnv.optional(),
    defaultSampling: fields.defaultSampling.optional(),
    temperatureMin: fields.temperatureMin.optional(),
    temperatureMax: fields.temperatureMax.optional(),
    maxConcurrency: fields.maxConcurrency.optional(),
    timeoutMs: fields.timeoutMs.optional(),
    active: fields.active.optional(),
  },
  { error: objectError("a JSON object", "a model variant has no such field") },
);
export type UpdateModelVariantInput = z.input<typeof updateModelVariantSchema>;
