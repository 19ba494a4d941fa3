// zod inputs for vendors (the teams annotators work in; quality is tracked per vendor).
import { z } from "zod";
import { vendorName } from "../users/schemas";

export const vendorSchema = z.strictObject(
  { name: vendorName },
  {
    error: (issue) =>
      issue.code === "unrecognized_keys" ? `${(issue.keys ?? []).join(", ")}: a vendor has only a name` : "must be a JSON object {name}",
  },
);
