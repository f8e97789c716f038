// StoreLite's settings, read once from the environment and validated, so a bad
// value stops start-up with a message that names it instead of failing later.
import path from "node:path";
import { z } from "zod";

export const projectRoot = path.resolve(import.meta.dirname, "../..");

const port = (fallback: number) =>
  z.coerce
    .number({ error: "must be a port number" })
    .int("must be a whole number")
    .min(0, "must be 0-65535")
    .max(65535, "must be 0-65535")
    .default(fallback);

const flag = z
  .enum(["true", "false", "1", "0", "yes", "no"], { error: "must be true or false" })
  .transform((v) => v === "true" || v === "1" || v === "yes");

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
    .optional(),
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: port(4000),
  STORELITE_DATA_DIR: z.string().min(1).optional(),
  STORELITE_PG_PORT: port(54329),
  STORELITE_DB_POOL_SIZE: z.coerce
    .number({ error: "must be a number" })
    .int("must be a whole number")
    .min(1, "must be 1-200")
    .max(200, "must be 1-200")
    .default(10),
  STORELITE_MAX_BODY_BYTES: z.coerce
    .number({ error: "must be a number of bytes" })
    .int("must be a whole number")
    .min(1024, "must be at least 1024")
    .max(50_000_000, "must be at most 50000000")
    .default(1_000_000),
  STORELITE_GRAPHQL_INTROSPECTION: flag.optional(),
  STORELITE_SEED_DEMO: flag.default(true),
  // Embedded PostgreSQL settings over the small-shop defaults (db/embedded.ts), e.g.
  // "shared_buffers=256MB,max_connections=100". Passed on its command line, so only plain values.
  STORELITE_PG_SETTINGS: z
    .string()
    .transform((raw, ctx) => {
      const settings: Record<string, string> = {};
      for (const pair of raw.split(/[\s,]+/).filter(Boolean)) {
        const m = /^([a-z_][a-z0-9_.]*)=([\w.:+-]+)$/i.exec(pair);
        if (!m) {
          ctx.addIssue({ code: "custom", message: `"${pair}" is not name=value (e.g. shared_buffers=256MB)` });
          return z.NEVER;
        }
        settings[m[1]!.toLowerCase()] = m[2]!;
      }
      return settings;
    })
    .optional(),
  // Set by the supervisor behind `npm start`: where the web app is, for /health.
  STORELITE_WEB_URL: z.url({ error: "must be a URL" }).optional(),
});

export type Env = z.infer<typeof schema> & { introspection: boolean };

/** Parses settings; throws one Error that lists every bad variable. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const present = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== ""));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`StoreLite settings are invalid:\n${lines.join("\n")}`);
  }
  const env = parsed.data;
  return {
    ...env,
    introspection: env.STORELITE_GRAPHQL_INTROSPECTION ?? env.NODE_ENV !== "production",
  };
}
