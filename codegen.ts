// graphql-codegen: api/schema.graphql (printed from the Pothos schema) plus the
// named operations in operations/ become typed documents that the web app,
// the MCP server and the tests all import. Output is generated, not committed:
// `npm install` and `npm run codegen` recreate it.
import type { CodegenConfig } from "@graphql-codegen/cli";

const scalars = {
  Money: "string",
  Quantity: "string",
  DateTime: "string",
};

const config: CodegenConfig = {
  schema: "api/schema.graphql",
  documents: ["operations/**/*.graphql"],
  ignoreNoDocuments: true,
  generates: {
    "operations/generated/": {
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
  },
};

export default config;
