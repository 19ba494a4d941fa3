// zod inputs of a user's own account.
import { z } from "zod";

export const changePasswordSchema = z.strictObject(
  {
    currentPassword: z.string({ error: "is required" }).min(1, "is required").max(1000),
    newPassword: z.string({ error: "is required" }).min(8, "must be at least 8 characters").max(200, "must be at most 200 characters"),
  },
  {
    error: (issue) =>
      issue.code === "unrecognized_keys" ? `${(issue.keys ?? []).join(", ")}: takes currentPassword and newPassword` : "must be a JSON object",
  },
);
export type ChangePasswordInput = z.input<typeof changePasswordSchema>;
