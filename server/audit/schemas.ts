// zod input for browsing the audit log (the page's query string and GET /api/v1/audit).
import { z } from "zod";

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** An ISO date or date-time; a bare date means that day in UTC (its start for `from`, its end for `to`). */
function instant(bound: "from" | "to") {
  return z
    .string()
    .trim()
    .max(40)
    .transform((value, ctx) => {
      if (value === "") return undefined;
      const date = DATE_ONLY.test(value) ? new Date(`${value}T00:00:00.000Z`) : new Date(value);
      if (Number.isNaN(date.getTime())) {
        ctx.addIssue({ code: "custom", message: "must be a date (YYYY-MM-DD) or an ISO date-time" });
        return z.NEVER;
      }
      if (bound === "to" && DATE_ONLY.test(value)) date.setUTCDate(date.getUTCDate() + 1); // the whole day
      return date;
    })
    .optional();
}

const text = z
  .string()
  .trim()
  .max(200)
  .transform((value) => (value === "" ? undefined : value))
  .optional();

export const auditFilterSchema = z.object({
  action: text,
  /** A user id or email. */
  actor: text,
  entityType: text,
  entityId: text,
  from: instant("from"),
  /** Exclusive when a date-time; a bare date includes that whole day. */
  to: instant("to"),
  page: z.coerce.number({ error: "must be a page number" }).int("must be a whole number").min(1, "must be at least 1").max(1_000_000).default(1),
});
export type AuditFilter = z.infer<typeof auditFilterSchema>;
