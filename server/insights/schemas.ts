// zod input for the insights figures (the /insights page's query string and GET /api/v1/insights).
import { z } from "zod";
import { BATCH_FOCUSES } from "@/lib/protocol";

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const MAX_IDS = 100;

/** Ids as repeated keys or comma-separated values; at most 100. */
const ids = (what: string, plural: string) =>
  z.preprocess(
    (value) => {
      if (value === undefined || value === null || value === "") return undefined;
      const values = Array.isArray(value) ? value : [value];
      return values
        .flatMap((v) => (typeof v === "string" ? v.split(",") : [v]))
        .map((v) => (typeof v === "string" ? v.trim() : v))
        .filter((v) => v !== "");
    },
    z
      .array(
        z
          .string({ error: `must be ${what} ids` })
          .min(1)
          .max(100, `must be ${what} ids (at most 100 characters each)`),
        { error: `must be a list of ${what} ids` },
      )
      .max(MAX_IDS, `names at most ${MAX_IDS} ${plural}`)
      .optional(),
  );

/** A date (YYYY-MM-DD, that whole day in UTC) or an ISO date-time, between 1970 and 9999. */
function instant(bound: "from" | "to") {
  return z
    .string({ error: "must be a date (YYYY-MM-DD) or an ISO date-time" })
    .trim()
    .max(40, "must be a date (YYYY-MM-DD) or an ISO date-time")
    .transform((value, ctx) => {
      if (value === "") return undefined;
      const date = DATE_ONLY.test(value) ? new Date(`${value}T00:00:00.000Z`) : new Date(value);
      const year = date.getUTCFullYear();
      if (Number.isNaN(date.getTime()) || year < 1970 || year > 9999) {
        ctx.addIssue({ code: "custom", message: "must be a date (YYYY-MM-DD) or an ISO date-time between 1970 and 9999" });
        return z.NEVER;
      }
      if (bound === "to" && DATE_ONLY.test(value)) date.setUTCDate(date.getUTCDate() + 1); // the whole day
      return date;
    })
    .optional();
}

export const insightsFilterSchema = z
  .object({
    batches: ids("batch", "batches"),
    focus: z.enum(BATCH_FOCUSES, { error: `must be one of ${BATCH_FOCUSES.join(", ")}` }).optional(),
    vendors: ids("vendor", "vendors"),
    from: instant("from"),
    /** Exclusive when a date-time; a bare date includes that whole day. */
    to: instant("to"),
  })
  .refine((f) => !f.from || !f.to || f.from < f.to, { message: "must be after from", path: ["to"] });
export type InsightsFilter = z.infer<typeof insightsFilterSchema>;

/** URL search params → the object the schema reads (`batch` and `vendor` are aliases of the lists). */
export function insightsParamsToInput(params: URLSearchParams): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  const aliases: Record<string, string> = { batch: "batches", vendor: "vendors" };
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    input[aliases[key] ?? key] = values.length === 1 ? values[0] : values;
  }
  return input;
}
