// The OpenAPI 3.1 document, generated from the operation declarations and the
// very zod schemas that validate requests (JSON Schema 2020-12 is OpenAPI
// 3.1's schema dialect, so zod's output is used as is).
import { z } from "zod";
import { headerCase } from "./errors.ts";
import { bodyFailures, type Operation, type ResponseSpec } from "./operation.ts";
import { authFailures } from "./responses.ts";
import { components, ErrorResponse } from "./schemas.ts";

type JsonSchema = Record<string, unknown> & { properties?: Record<string, JsonSchema>; required?: string[]; description?: string };

const COMPONENT = "#/components/schemas/";

/**
 * Every response of an operation, the shared request failures included. An
 * operation may declare a shared status itself when it answers it in more
 * ways (a 403 that is either NOT_AUTHORIZED or APPROVAL_REQUIRED); its own
 * declaration must then cover the shared case too.
 */
export function responsesOf(op: Operation): Record<number, ResponseSpec> {
  return { ...(op.permission !== "public" ? authFailures : {}), ...op.responses, ...(op.body ? bodyFailures(ErrorResponse) : {}) };
}

export function buildOpenApiDocument(operations: Operation[], info: { version: string }) {
  // One registry conversion for everything, so schemas that are not named
  // components (lists, unions, query objects) still $ref the named ones.
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of components._idmap) registry.add(schema, { id });
  const inline = new Map<z.ZodType, string>();
  const use = (schema: z.ZodType) => {
    if (!registry.has(schema)) {
      const id = `inline-${inline.size}`;
      inline.set(schema, id);
      registry.add(schema, { id });
    }
  };
  for (const op of operations) {
    for (const s of [op.params, op.query, op.headers, op.body]) if (s) use(s);
    for (const r of Object.values(responsesOf(op))) if (r.schema) use(r.schema);
  }

  const converted = z.toJSONSchema(registry, { io: "input", uri: (id) => COMPONENT + id }).schemas as Record<string, JsonSchema>;
  for (const schema of Object.values(converted)) {
    delete schema.$schema;
    delete schema.$id;
  }
  const schemaOf = (s: z.ZodType): JsonSchema => {
    const id = inline.get(s);
    return id ? converted[id]! : { $ref: COMPONENT + registry.get(s)!.id };
  };

  const parameters = (schema: z.ZodType | undefined, where: "path" | "query" | "header") => {
    if (!schema) return [];
    const object = schemaOf(schema);
    return Object.entries(object.properties ?? {}).map(([name, { description, ...property }]) => ({
      name: where === "header" ? headerCase(name) : name,
      in: where,
      required: where === "path" || (object.required ?? []).includes(name),
      ...(description ? { description } : {}),
      schema: property,
    }));
  };

  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const responses = Object.fromEntries(
      Object.entries(responsesOf(op)).map(([status, r]) => [
        status,
        {
          description: r.description,
          ...(r.headers
            ? {
                headers: Object.fromEntries(
                  Object.entries(r.headers).map(([name, h]) => [
                    name,
                    { description: h.description, schema: { type: "string" }, ...(h.example ? { example: h.example } : {}) },
                  ]),
                ),
              }
            : {}),
          ...(r.mediaType ? { content: { [r.mediaType]: { schema: { type: "string" } } } } : {}),
          ...(r.schema && !r.mediaType ? { content: { "application/json": { schema: schemaOf(r.schema) } } } : {}),
        },
      ]),
    );
    const params = [...parameters(op.params, "path"), ...parameters(op.query, "query"), ...parameters(op.headers, "header")];
    (paths[op.path] ??= {})[op.method.toLowerCase()] = {
      operationId: op.operationId,
      tags: [op.tag],
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      ...(params.length ? { parameters: params } : {}),
      ...(op.body
        ? {
            requestBody: {
              required: true,
              content: { "application/json": { schema: schemaOf(op.body), ...(op.example ? { example: op.example } : {}) } },
            },
          }
        : {}),
      ...(op.upload
        ? {
            requestBody: {
              required: true,
              description: op.upload.description,
              content: Object.fromEntries(op.upload.mediaTypes.map((t) => [t, { schema: { type: "string" } }])),
            },
          }
        : {}),
      responses,
    };
  }

  const schemas = Object.fromEntries(Object.entries(converted).filter(([id]) => !id.startsWith("inline-")));
  return {
    openapi: "3.1.0",
    info: {
      title: "StoreLite REST API",
      version: info.version,
      description:
        "The original StoreLite REST endpoints (snake_case JSON) over the same services as the GraphQL API. " +
        "Money and quantities are decimal strings in responses (\"160.00\", \"1.500\"); requests accept strings or numbers. " +
        "Failures are `{\"error\": {\"code\", \"message\", ...}}` with a stable code.",
      license: { name: "MIT", identifier: "MIT" },
    },
    servers: [{ url: "/", description: "This server" }],
    tags: [
      { name: "Items", description: "The catalogue: items, prices and stock." },
      { name: "Bills", description: "Sales: bills with their lines and totals." },
      { name: "Imports", description: "Catalogue import from a CSV file: dry run, apply, undo; and the catalogue as CSV." },
    ],
    paths,
    components: { schemas },
  };
}
