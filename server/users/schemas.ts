// zod inputs for users.
import { z } from "zod";
import { ROLES } from "@/lib/protocol";

const role = z.enum(ROLES, { error: `must be one of ${ROLES.join(", ")}` });
export const vendorName = z.string({ error: "must be a vendor name" }).trim().min(1, "must not be empty").max(200, "must be at most 200 characters");

export const createUserSchema = z.object({
  email: z.string().trim().toLowerCase().email("must be an email address"),
  name: z.string().trim().min(1).max(200).optional(),
  // Left out (or empty, from the console's form): a password is generated and returned once.
  password: z.preprocess((value) => (value === "" ? undefined : value), z.string().min(8, "must be at least 8 characters").max(200).optional()),
  role,
  vendor: z.preprocess((value) => (value === "" || value === null ? undefined : value), vendorName.optional()),
});

/** PATCH of a user: the fields sent change. `vendor` names an existing vendor; null removes the user from theirs. */
export const updateUserSchema = z.strictObject(
  {
    role: role.optional(),
    vendor: vendorName.nullable().optional(),
    active: z.boolean({ error: "must be true or false" }).optional(),
  },
  {
    error: (issue) =>
      issue.code === "unrecognized_keys" ? `${(issue.keys ?? []).join(", ")}: a user PATCH takes role, vendor and active` : "must be a JSON object",
  },
);
