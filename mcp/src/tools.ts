// What StoreLite's MCP server is: one tool per named operation in operations/,
// in the manner of Apollo's MCP server. The tool's name is the operation's
// name, its description the operation's leading comment, its input schema the
// operation's variables, its output the operation's data. How the server is
// reached (stdio, HTTP) lives in stdio.ts and http.ts.
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult, ToolAnnotations } from "@modelcontextprotocol/sdk/types.js";
import { isInterfaceType, type GraphQLSchema } from "graphql";
import { PERMISSIONS, type Permission } from "@storelite/api/domain/access";
import { queryLimitRules } from "@storelite/api/graphql/limits";
import { schema as apiSchema } from "@storelite/api/graphql/schema";
import { ExecutorError, type Executor, type OperationResult } from "./executor.ts";
import { loadOperations, operationsDir, type LoadedOperation } from "./operations.ts";
import { snakeCase, toolInput, toolOutput, type ToolInput } from "./schemas.ts";

/**
 * The write tools, and what they do to the shop's data. A mutation operation is
 * exposed only when it is listed here (or in `BuildServerOptions.mutations`).
 */
export const WRITE_TOOLS: Readonly<Record<string, Pick<ToolAnnotations, "destructiveHint" | "idempotentHint">>> = {
  inventory_add_item: { destructiveHint: false, idempotentHint: false },
  // Overwrites the fields it is given (the old name or price is gone); the same call twice changes nothing more.
  inventory_update_item: { destructiveHint: true, idempotentHint: true },
  inventory_set_item_active: { destructiveHint: false, idempotentHint: true },
  // Every call writes a ledger row; nothing is overwritten.
  inventory_adjust_stock: { destructiveHint: false, idempotentHint: false },
  // Idempotent only with an idempotency_key, so not in general.
  billing_create_bill: { destructiveHint: false, idempotentHint: false },
  // A new document every call (idempotent only with an idempotency_key); nothing is overwritten.
  billing_create_return: { destructiveHint: false, idempotentHint: false },
  // Reverses a whole bill (kept, marked VOID); a second call is refused.
  billing_void_bill: { destructiveHint: true, idempotentHint: false },
};

/**
 * The permission each tool needs (any one of a list), as the domain checks it.
 * Used to list only the tools a token may use; every call is checked again in
 * the domain. A tool missing here is listed only for tokens holding every permission.
 */
export const TOOL_PERMISSIONS: Readonly<Record<string, readonly Permission[]>> = {
  inventory_list_items: ["VIEW_CATALOG"],
  inventory_get_item: ["VIEW_CATALOG"],
  inventory_list_categories: ["VIEW_CATALOG"],
  inventory_add_item: ["EDIT_CATALOG"],
  inventory_update_item: ["EDIT_CATALOG"],
  inventory_set_item_active: ["EDIT_CATALOG"],
  inventory_adjust_stock: ["ADJUST_STOCK"],
  billing_create_bill: ["SELL"],
  billing_get_bill: ["VIEW_ALL_BILLS", "VIEW_OWN_BILLS"],
  billing_list_bills: ["VIEW_ALL_BILLS", "VIEW_OWN_BILLS"],
  billing_preview_bill: ["SELL"],
  // A cashier (SELL) may start a return or a void; a manager's approval (or REFUND / VOID_BILL) is checked in the domain.
  billing_refund_preview: ["REFUND", "SELL"],
  billing_create_return: ["REFUND", "SELL"],
  billing_void_bill: ["VOID_BILL", "SELL"],
  reports_sales_summary: ["VIEW_REPORTS"],
  reports_top_items: ["VIEW_REPORTS"],
  reports_revenue_by_category: ["VIEW_REPORTS"],
  reports_sales_by_hour: ["VIEW_REPORTS"],
  reports_sales_by_cashier: ["VIEW_REPORTS"],
  reports_tax_by_rate: ["VIEW_REPORTS"],
  reports_payments_by_method: ["VIEW_REPORTS"],
  reports_stock_valuation: ["VIEW_REPORTS"],
  reports_slow_movers: ["VIEW_REPORTS"],
  inventory_low_stock: ["VIEW_CATALOG"],
  inventory_reorder_suggestions: ["VIEW_CATALOG"],
  shift_current_report: ["OPERATE_DRAWER", "VIEW_REPORTS"],
};

/** Whether a holder of these permissions may use the tool. */
export function toolAllowed(name: string, permissions: ReadonlySet<Permission>): boolean {
  const needs = TOOL_PERMISSIONS[name];
  return needs ? needs.some((p) => permissions.has(p)) : PERMISSIONS.every((p) => permissions.has(p));
}

/** The MCP request metadata key a caller (the assistant) puts its user's session or API token under. */
export const CREDENTIAL_META = "storelite/credential";

export const SERVER_INSTRUCTIONS = `StoreLite: a small shop's inventory and billing.
- Find items with inventory_list_items (search by part of the name) before using an item id; never guess ids or prices.
- Money and quantities are decimal strings such as "160.00" and "1.500", in the item's unit (kg, liter, piece…); inputs accept strings or numbers.
- Sell with billing_create_bill: it takes the stock out in the same step, all lines or none. Reuse the same idempotency_key when retrying.
- Goods brought back: find the bill line with billing_get_bill, say the refund from billing_refund_preview (never compute it), then billing_create_return.
- A refused write (isError) changed nothing; its message says why and what is possible (e.g. the quantity available).`;

export interface BuildServerOptions {
  /** Where the operations run: over HTTP or in-process (see executor.ts). */
  executor: Executor;
  /** Defaults to the API's own schema; operations are validated against it at start-up. */
  schema?: GraphQLSchema;
  /** Defaults to the repository's operations/ folder. */
  operationsDir?: string;
  /** The mutation operations exposed as tools; defaults to every name in WRITE_TOOLS. [] makes a read-only server. */
  mutations?: readonly string[];
  /** When given (the server's token's scopes), only tools these permissions allow are listed. */
  permissions?: ReadonlySet<Permission>;
  log?: (message: string) => void;
}

export interface ToolDefinition {
  name: string;
  operation: LoadedOperation;
  input: ToolInput;
  output: ReturnType<typeof toolOutput>;
  annotations: ToolAnnotations;
}

const cache = new Map<string, { schema: GraphQLSchema; tools: ToolDefinition[] }>();

/** The tool definitions (not yet bound to an executor); loaded once per schema and folder. */
export function loadTools(schema: GraphQLSchema = apiSchema, dir: string = operationsDir): ToolDefinition[] {
  const cached = cache.get(dir);
  if (cached?.schema === schema) return cached.tools;
  const tools = loadOperations(schema, dir, queryLimitRules()).map((operation): ToolDefinition => {
    const writes = WRITE_TOOLS[operation.name];
    const annotations: ToolAnnotations =
      operation.kind === "query"
        ? { readOnlyHint: true, idempotentHint: true, destructiveHint: false, openWorldHint: false }
        : // An allowed mutation not described in WRITE_TOOLS is assumed to be the worst kind.
          { readOnlyHint: false, destructiveHint: writes?.destructiveHint ?? true, idempotentHint: writes?.idempotentHint ?? false, openWorldHint: false };
    return { name: operation.name, operation, input: toolInput(operation, schema), output: toolOutput(operation, schema), annotations };
  });
  cache.set(dir, { schema, tools });
  return tools;
}

export function buildServer(options: BuildServerOptions): McpServer {
  const schema = options.schema ?? apiSchema;
  const log = options.log ?? ((m: string) => console.error(m));
  const allowed = new Set(options.mutations ?? Object.keys(WRITE_TOOLS));
  const errorTypes = errorTypeNames(schema);
  const server = new McpServer({ name: "storelite", version: "0.1.0" }, { instructions: SERVER_INSTRUCTIONS });

  for (const tool of loadTools(schema, options.operationsDir)) {
    if (tool.operation.kind === "mutation" && !allowed.has(tool.name)) continue;
    if (options.permissions && !toolAllowed(tool.name, options.permissions)) continue;
    server.registerTool(
      tool.name,
      {
        description: tool.operation.description,
        inputSchema: tool.input.schema,
        outputSchema: tool.output,
        annotations: tool.annotations,
      },
      async (args: Record<string, unknown>, extra): Promise<CallToolResult> => {
        let result: OperationResult;
        const credential = extra._meta?.[CREDENTIAL_META];
        try {
          result = await options.executor.run({
            document: tool.operation.document,
            source: tool.operation.source,
            operationName: tool.operation.name,
            variables: tool.input.toVariables(args),
            ...(typeof credential === "string" ? { credential } : {}),
          });
        } catch (err) {
          if (err instanceof ExecutorError) return failure(err.message);
          log(`${tool.name} failed: ${(err as Error).stack ?? String(err)}`);
          return failure(`${tool.name} failed with an internal error (logged by the server). Check with a read tool whether it took effect before retrying.`);
        }
        return toResult(tool, result, errorTypes);
      },
    );
  }
  return server;
}

function failure(text: string): CallToolResult {
  return { isError: true, content: [{ type: "text", text }] };
}

/** Object types implementing the schema's `Error` interface: the typed, expected failures. */
function errorTypeNames(schema: GraphQLSchema): Set<string> {
  const error = schema.getType("Error");
  if (!error || !isInterfaceType(error)) return new Set();
  return new Set(schema.getImplementations(error).objects.map((t) => t.name));
}

interface TypedError {
  __typename: string;
  message?: string;
  code?: string;
  fieldErrors?: { path?: string[]; message?: string }[];
}

function findTypedErrors(value: unknown, errorTypes: Set<string>, found: TypedError[] = []): TypedError[] {
  if (Array.isArray(value)) for (const v of value) findTypedErrors(v, errorTypes, found);
  else if (value && typeof value === "object") {
    const typename = (value as { __typename?: unknown }).__typename;
    if (typeof typename === "string" && errorTypes.has(typename)) found.push(value as TypedError);
    else for (const v of Object.values(value)) findTypedErrors(v, errorTypes, found);
  }
  return found;
}

/**
 * A field path from the API's input (["lines", "2", "quantity"], relative to the
 * `input` argument or to the field's arguments) in the tool's own terms: items[2].quantity.
 */
export function argumentPath(tool: Pick<ToolDefinition, "operation">, path: readonly string[]): string {
  const format = (segments: readonly string[]) =>
    segments.map((s, i) => (/^\d+$/.test(s) ? `[${s}]` : `${i ? "." : ""}${snakeCase(s)}`)).join("");
  let best: { variable: string; rest: string[]; length: number } | undefined;
  for (const candidate of [["input", ...path], [...path]]) {
    for (const [variable, target] of tool.operation.variableTargets) {
      if (!target.length || target.length > candidate.length) continue;
      if (target.every((t, i) => t === candidate[i]) && (!best || target.length > best.length)) {
        best = { variable, rest: candidate.slice(target.length), length: target.length };
      }
    }
  }
  if (!best) return format(path);
  return `${snakeCase(best.variable)}${best.rest.length ? format(best.rest).replace(/^(?=[a-z])/, ".") : ""}`;
}

function describeError(tool: ToolDefinition, error: TypedError): string {
  if (error.fieldErrors?.length) {
    const fields = error.fieldErrors.map((f) => (f.path?.length ? `${argumentPath(tool, f.path)}: ${f.message}` : f.message));
    return `Invalid input: ${fields.join("; ")}.`;
  }
  const message = error.message ?? error.__typename;
  return /[.!?]$/.test(message) ? message : `${message}.`;
}

function toResult(tool: ToolDefinition, result: OperationResult, errorTypes: Set<string>): CallToolResult {
  const write = tool.operation.kind === "mutation";
  const unchanged = write ? " Nothing was changed." : "";
  if (result.errors?.some((e) => e.extensions?.code === "INTERNAL_SERVER_ERROR")) {
    return failure(`${tool.name} failed with an internal error in StoreLite (logged by the server). Check with a read tool whether it took effect before retrying.`);
  }
  if (result.errors?.length) {
    // Request errors (e.g. a value GraphQL cannot coerce, a page size out of range): nothing ran.
    const text = result.errors.map((e) => e.message).join("\n");
    return failure(`${tool.name} was refused: ${text}${write ? "\nNothing was changed." : ""}`);
  }
  const data = result.data ?? {};
  const typedErrors = findTypedErrors(data, errorTypes);
  if (typedErrors.length) {
    const text = typedErrors.map((e) => describeError(tool, e)).join("\n");
    return { isError: true, content: [{ type: "text", text: `${text}${unchanged}` }], structuredContent: data };
  }
  return { content: [{ type: "text", text: `${summarize(data)}\n${JSON.stringify(data)}` }], structuredContent: data };
}

/** "bill 12", "item 3 (Flour)": what an object is, when it has an id. */
function entity(key: string, value: unknown): string | undefined {
  if (!value || typeof value !== "object" || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  if (v.id !== undefined) return `${key} ${String(v.id)}${typeof v.name === "string" ? ` (${v.name})` : ""}`;
  for (const [k, inner] of Object.entries(v)) {
    const found = entity(k, inner);
    if (found) return found;
  }
  return undefined;
}

/** One line a person can read at a glance; the JSON follows it. */
function summarize(data: Record<string, unknown>): string {
  const parts = Object.entries(data).map(([key, value]) => {
    if (value === null) return `${key}: not found.`;
    if (Array.isArray(value)) return `${key}: ${value.length}.`;
    if (typeof value !== "object") return `${key}: ${String(value)}.`;
    const v = value as Record<string, unknown>;
    if (Array.isArray(v.nodes)) {
      const page = v.pageInfo as { hasNextPage?: boolean; endCursor?: string } | undefined;
      const more = page?.hasNextPage ? ` More: call again with after "${page.endCursor}".` : "";
      return `${key}: ${v.nodes.length} on this page.${more}`;
    }
    const what = entity(key, v);
    if (typeof v.__typename === "string" && v.__typename.endsWith("Success")) return `${key}: done${what ? `, ${what}` : ""}.`;
    return `${what ?? key}.`;
  });
  return parts.join(" ");
}
