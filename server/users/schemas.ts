// zod inputs for users.
import { z } from "zod";
import { ROLES } from "@/lib/protocol";

export const createUserSchema = z.object({
  email: z.string().trim().toLowerCase().email("must be an email address"),
  name: z.string().trim().min(1).max(200).optional(),
  password: z.string().min(8, "must be at least 8 characters").max(200),
  role: z.enum(ROLES, { error: `must be one of ${ROLES.join(", ")}` }),
  vendor: z.string().trim().min(1).max(200).optional(),
});
