// Prints the schema to api/schema.graphql (committed: the contract codegen,
// the web app and MCP read). `npm run schema:print` after changing types.
import fs from "node:fs";
import path from "node:path";
import { lexicographicSortSchema, printSchema } from "graphql";
import { schema } from "./schema.ts";

export const schemaFile = path.resolve(import.meta.dirname, "../../schema.graphql");

export function printedSchema(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  fs.writeFileSync(schemaFile, printedSchema());
  console.log(`Wrote ${path.relative(process.cwd(), schemaFile)}`);
}
