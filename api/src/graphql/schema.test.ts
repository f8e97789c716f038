import fs from "node:fs";
import { expect, it } from "vitest";
import { printedSchema, schemaFile } from "./print-schema.ts";

it("api/schema.graphql matches the Pothos schema (run `npm run schema:print` if this fails)", () => {
  expect(fs.readFileSync(schemaFile, "utf8")).toBe(printedSchema());
});
