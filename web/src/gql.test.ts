// The generated hooks and types (src/gql/, not committed) must match the
// schema and the operations in src/graphql/: run `npm run codegen` when this fails.
import fs from "node:fs";
import path from "node:path";
import { generate } from "@graphql-codegen/cli";
import { expect, it } from "vitest";
import config, { WEB_GQL } from "../../codegen.ts";

const root = path.resolve(import.meta.dirname, "../..");

it("src/gql is up to date with api/schema.graphql and src/graphql/*.graphql", async () => {
  const target = config.generates[WEB_GQL];
  expect(target, `codegen.ts has no ${WEB_GQL} target`).toBeDefined();
  const outputs = await generate({ ...config, cwd: root, silent: true, generates: { [WEB_GQL]: target! } }, false);
  const fresh = (outputs as { filename: string; content: string }[]).find((o) => path.resolve(root, o.filename) === path.join(root, WEB_GQL));
  expect(fresh, "codegen produced no web output").toBeDefined();
  const file = path.join(root, WEB_GQL);
  const onDisk = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "(missing)";
  expect(onDisk === fresh!.content, `${WEB_GQL} is stale: run \`npm run codegen\``).toBe(true);
});
