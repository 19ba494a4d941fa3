// zod inputs for exports.
import { z } from "zod";
import { DEFAULT_SPLIT_SALT, DEFAULT_TEST_FRACTION } from "@/lib/split";

export const canonicalExportSchema = z.object({
  batch: z.string({ error: "is required (a batch id)" }).min(1, "is required (a batch id)"),
  salt: z.string().min(1).max(200).default(DEFAULT_SPLIT_SALT),
  testFraction: z.coerce.number().min(0, "must be between 0 and 1").max(1, "must be between 0 and 1").default(DEFAULT_TEST_FRACTION),
});
