// zod schemas for one imported line, per format. Error paths name the field; the importer adds the line.
import { z } from "zod";
import { ATTACK_VECTORS, DEGREES, MESSAGE_ROLES, RISK_CATEGORIES } from "@/lib/protocol";

// prompts and prompts-csv carry prompts only: their responses are sampled later (server/generation).
export const IMPORT_FORMATS = ["pairwise", "hh-rlhf", "prompts", "prompts-csv"] as const;
export type ImportFormatName = (typeof IMPORT_FORMATS)[number];

/** The query string of an import: which format the body is in (pairwise by default). */
export const importQuerySchema = z.object({
  format: z.enum(IMPORT_FORMATS, { error: `format must be one of ${IMPORT_FORMATS.join(", ")}` }).default("pairwise"),
});

/** The columns a prompts CSV may have; any other non-empty column becomes a string tag. */
export const PROMPT_CSV_COLUMNS = ["prompt", "risk_category", "attack_vector", "language"] as const;

const messageSchema = z.object({
  role: z.enum(MESSAGE_ROLES, { error: `must be one of ${MESSAGE_ROLES.join(", ")}` }),
  content: z.string({ error: "must be a string" }),
});

const contextSchema = z
  .array(messageSchema, { error: "must be a list of {role, content} messages" })
  .max(200, "has more than 200 messages")
  .refine((messages) => messages.length === 0 || messages.at(-1)?.role === "assistant", {
    message: "must end with an assistant message (the prompt is the next user turn)",
  });

const samplingSchema = z.object({
  temperature: z.number().min(0).max(5).optional(),
  top_p: z.number().min(0).max(1).optional(),
  max_tokens: z.number().int().positive().optional(),
  seed: z.number().int().optional(),
});

const responseSchema = z.object({
  content: z.string({ error: "must be a string" }).refine((s) => s.trim() !== "", "must not be empty"),
  model: z.object(
    {
      name: z.string({ error: "is required" }).trim().min(1, "is required").max(200),
      version: z.string().trim().max(200).optional(),
    },
    { error: "is required: {name, version?}" },
  ),
  sampling: samplingSchema.optional(),
  prompt_tokens: z.number().int().nonnegative().optional(),
  completion_tokens: z.number().int().nonnegative().optional(),
  latency_ms: z.number().int().nonnegative().optional(),
});

const tagsSchema = z
  .object({
    risk_category: z.enum(RISK_CATEGORIES, { error: `must be one of ${RISK_CATEGORIES.join(", ")}` }).optional(),
    attack_vector: z.enum(ATTACK_VECTORS, { error: `must be one of ${ATTACK_VECTORS.join(", ")}` }).optional(),
  })
  .catchall(z.union([z.string(), z.number(), z.boolean()], { error: "tag values must be strings, numbers or booleans" }));

const goldSchema = z.object({
  chosen: z.union([z.literal(0), z.literal(1)], { error: "must be 0 or 1 (the index in responses)" }),
  min_degree: z.enum(DEGREES).optional(),
});

export const pairwiseLineSchema = z.object({
  context: contextSchema.default([]),
  prompt: z.string({ error: "is required" }).refine((s) => s.trim() !== "", "must not be empty"),
  responses: z.array(responseSchema, { error: "is required: a list of exactly two responses" }).length(2, "must hold exactly two responses"),
  tags: tagsSchema.optional(),
  gold: goldSchema.optional(),
});
export type PairwiseLine = z.infer<typeof pairwiseLineSchema>;

export const hhRlhfLineSchema = z.object({
  chosen: z.string({ error: "is required (a transcript string)" }),
  rejected: z.string({ error: "is required (a transcript string)" }),
});

export const promptsLineSchema = z.object({
  context: contextSchema.default([]),
  prompt: z.string({ error: "is required" }).refine((s) => s.trim() !== "", "must not be empty"),
  tags: tagsSchema.optional(),
});
export type PromptsLine = z.infer<typeof promptsLineSchema>;
