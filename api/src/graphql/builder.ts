// The Pothos builder: plugins, scalars and the request context — nothing else.
// Types, queries and mutations live in types/<area>.ts, one file per area.
import SchemaBuilder from "@pothos/core";
import ErrorsPlugin from "@pothos/plugin-errors";
import PrismaPlugin from "@pothos/plugin-prisma";
import { Kind, type ValueNode } from "graphql";
import { NotAuthorizedError } from "../domain/access.ts";
import type { ServiceContext } from "../domain/context.ts";
import type { RequestAuth } from "../http/auth.ts";
import type { Decimal } from "../domain/money.ts";
import type PrismaTypes from "../generated/pothos-prisma-types.ts";
import { getDatamodel } from "../generated/pothos-prisma-types.ts";

export interface Context extends ServiceContext {
  /** Present when the request came over HTTP: what it authenticated with, and how to set the session cookie. */
  http?: {
    auth: RequestAuth;
    /** Sets (a token) or clears (null) the session cookie on the response. */
    setSessionCookie(token: string | null, maxAgeSeconds?: number): void;
  };
}

/** Decimal input as it arrived (string, or a JSON number's shortest text); services validate it. */
type DecimalInput = string | number;

export const builder = new SchemaBuilder<{
  Context: Context;
  PrismaTypes: PrismaTypes;
  DefaultFieldNullability: false;
  Scalars: {
    Money: { Input: DecimalInput; Output: Decimal | string };
    Quantity: { Input: DecimalInput; Output: Decimal | string };
    DateTime: { Input: Date; Output: Date };
  };
}>({
  plugins: [ErrorsPlugin, PrismaPlugin],
  defaultFieldNullability: false,
  prisma: {
    client: (ctx) => ctx.db.prisma,
    dmmf: getDatamodel(),
    exposeDescriptions: false,
    filterConnectionTotalCount: true,
    onUnusedQuery: null,
  },
  errors: {
    // Every mutation's result union can say "you may not": typed, naming the permission.
    defaultTypes: [NotAuthorizedError],
  },
});

// Literals keep their source text (1.5 stays "1.5"), so no float ever touches a value.
function parseDecimalLiteral(node: ValueNode): DecimalInput {
  if (node.kind === Kind.STRING || node.kind === Kind.INT || node.kind === Kind.FLOAT) return node.value;
  throw new TypeError("must be a decimal number or a string such as \"12.50\"");
}
function parseDecimalValue(value: unknown): DecimalInput {
  if (typeof value === "string" || (typeof value === "number" && Number.isFinite(value))) return value;
  throw new TypeError("must be a decimal number or a string such as \"12.50\"");
}

builder.scalarType("Money", {
  description: 'An amount of money as a decimal string with 2 places, e.g. "160.00". Inputs accept strings or numbers.',
  serialize: (v) => (typeof v === "string" ? v : v.toFixed(2)),
  parseValue: parseDecimalValue,
  parseLiteral: parseDecimalLiteral,
});

builder.scalarType("Quantity", {
  description: 'A quantity as a decimal string with 3 places, e.g. "1.500" (kg, liters or pieces). Inputs accept strings or numbers.',
  serialize: (v) => (typeof v === "string" ? v : v.toFixed(3)),
  parseValue: parseDecimalValue,
  parseLiteral: parseDecimalLiteral,
});

builder.scalarType("DateTime", {
  description: "An ISO-8601 date-time, e.g. 2026-11-25T09:30:00.000Z",
  serialize: (v) => v.toISOString(),
  parseValue: (v) => {
    const d = typeof v === "string" ? new Date(v) : new Date(NaN);
    if (Number.isNaN(d.getTime())) throw new TypeError("must be an ISO-8601 date-time string");
    return d;
  },
  parseLiteral: (node) => {
    const d = node.kind === Kind.STRING ? new Date(node.value) : new Date(NaN);
    if (Number.isNaN(d.getTime())) throw new TypeError("must be an ISO-8601 date-time string");
    return d;
  },
});

builder.queryType({});
builder.mutationType({});
