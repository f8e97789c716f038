// graphql-codegen: api/schema.graphql (printed from the Pothos schema) plus the
// named operations in operations/ become typed documents that the web app,
// the MCP server and the tests all import. Output is generated, not committed:
// `npm install` and `npm run codegen` recreate it.
// The web app's own operations (web/src/graphql) get a second target with
// urql hooks (useInventoryItemsQuery, useCreateBillMutation, ...).
import type { CodegenConfig } from "@graphql-codegen/cli";

const scalars = {
  Money: "string",
  Quantity: "string",
  DateTime: "string",
};

/** The web app's generated types and hooks (checked for staleness by web/src/gql.test.ts). */
export const WEB_GQL = "web/src/gql/graphql.ts";

const config: CodegenConfig = {
  schema: "api/schema.graphql",
  ignoreNoDocuments: true,
  generates: {
    "operations/generated/": {
      // Documents per target: the web's operations must not leak into the
      // shared ones (and operation names may repeat between the two sets).
      documents: ["operations/**/*.graphql"],
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: {
        scalars,
        enumsAsTypes: true,
        useTypeImports: true,
        strictScalars: true,
        skipTypename: false,
        documentMode: "documentNode",
      },
    },
    [WEB_GQL]: {
      documents: ["web/src/graphql/**/*.graphql"],
      // typescript-operations 5 emits the input types and enums it needs itself;
      // adding the "typescript" plugin as well would declare them twice.
      plugins: ["typescript-operations", "typescript-urql"],
      config: {
        scalars,
        enumsAsTypes: true,
        useTypeImports: true,
        strictScalars: true,
        skipTypename: false,
        nonOptionalTypename: true,
        avoidOptionals: { field: true, inputValue: false, object: false, defaultValue: false },
        documentMode: "documentNode",
        withHooks: true,
        urqlImportFrom: "urql",
      },
    },
  },
};

export default config;
