// Prisma CLI settings. DATABASE_URL is optional here: `prisma generate` needs no
// database, and StoreLite applies its own SQL migrations (see api/src/db/migrate.ts).
import path from "node:path";
import { defineConfig } from "prisma/config";

const here = import.meta.dirname;

export default defineConfig({
  schema: path.join(here, "schema.prisma"),
  migrations: { path: path.join(here, "migrations") },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/storelite" },
});
