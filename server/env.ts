// The one reader of process.env for the app: validated once, lazily, so `next build` needs no secrets.
import { z } from "zod";

const envSchema = z.object({
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, "must be a postgresql:// URL"),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  NEXTAUTH_SECRET: z.string().min(16, "must be at least 16 characters"),
  // An empty value (e.g. from docker-compose defaults) means unset.
  PSEUDONYM_SECRET: z.preprocess((v) => (v === "" ? undefined : v), z.string().min(16, "must be at least 16 characters").optional()),
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
});

export type Env = z.infer<typeof envSchema> & { pseudonymSecret: string };

let parsed: Env | undefined;

export function getEnv(): Env {
  if (parsed) return parsed;
  const result = envSchema.safeParse(process.env);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid environment: ${problems}. See .env.example.`);
  }
  // Without a separate key, pseudonyms derive from the session secret: stable as long as it is.
  parsed = { ...result.data, pseudonymSecret: result.data.PSEUDONYM_SECRET ?? `pseudonym:${result.data.NEXTAUTH_SECRET}` };
  return parsed;
}
