// Apollo Server over the Pothos schema, as a plain node:http handler so it can
// share one server (and one port) with the other front doors.
import type { IncomingMessage, ServerResponse } from "node:http";
import { ApolloServer, HeaderMap, type ApolloServerPlugin } from "@apollo/server";
import { unwrapResolverError } from "@apollo/server/errors";
import { ApolloServerPluginCacheControlDisabled } from "@apollo/server/plugin/disabled";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import type { DocumentNode, GraphQLFormattedError } from "graphql";
import { compileQuery, isCompiledQuery, type CompiledQuery } from "graphql-jit";
import type { Database } from "../db/database.ts";
import { NotAuthorizedError } from "../domain/access.ts";
import { DomainError, TooManyAttemptsError, ValidationError } from "../domain/errors.ts";
import { authenticateRequest, setSessionCookie } from "../http/auth.ts";
import { readJson } from "../http/body.ts";
import type { Context } from "./builder.ts";
import { ARMOR_LIMITS, armorProtection, depthAndCostRules } from "./limits.ts";
import { schema } from "./schema.ts";

export interface GraphQLOptions {
  db: Database;
  introspection: boolean;
  maxBodyBytes: number;
  /** Run queries through graphql-jit (see compiledQueries). */
  jit?: boolean;
  log?: (message: string) => void;
  /** HTML that browsers get on GET /graphql (the GraphQL sandbox); none when unset. */
  landingPage?: () => string;
}

/** Keeps expected errors readable and hides anything internal. */
function formatError(log: (m: string) => void) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (original instanceof DomainError) {
      return {
        message: original.message,
        ...(formatted.path ? { path: formatted.path } : {}),
        extensions: {
          code: original instanceof ValidationError ? "BAD_USER_INPUT" : original.code,
          ...(original instanceof ValidationError ? { fieldErrors: original.fieldErrors } : {}),
          ...(original instanceof NotAuthorizedError ? { permission: original.permission } : {}),
          ...(original instanceof TooManyAttemptsError ? { retryAfterSeconds: original.retryAfterSeconds } : {}),
        },
      };
    }
    if (formatted.extensions?.code !== "INTERNAL_SERVER_ERROR") return formatted;
    log(`internal error: ${original instanceof Error ? (original.stack ?? original.message) : String(original)}`);
    return { message: "Internal server error", ...(formatted.path ? { path: formatted.path } : {}), extensions: { code: "INTERNAL_SERVER_ERROR" } };
  };
}

/** Serves our page where Apollo would serve its own (a GET with Accept: text/html). */
function landingPage(html: () => string): ApolloServerPlugin<Context> {
  return {
    async serverWillStart() {
      return { renderLandingPage: async () => ({ html: html() }) };
    },
  };
}

/**
 * Runs queries through graphql-jit: each validated document (Apollo's document
 * store hands back the same object for the same text) is compiled once into a
 * function. Only successful results are answered here; a query whose result
 * carries errors is run again by Apollo itself, so error formatting, masking and
 * status codes stay Apollo's own (queries only read, so running one twice is safe).
 */
function compiledQueries(): ApolloServerPlugin<Context> {
  // Per document, per operation name (one document may hold several operations).
  const compiled = new WeakMap<DocumentNode, Map<string, CompiledQuery | null>>();
  return {
    async requestDidStart() {
      return {
        async responseForOperation(rc) {
          if (rc.operation?.operation !== "query") return null;
          let byName = compiled.get(rc.document);
          if (!byName) compiled.set(rc.document, (byName = new Map()));
          const name = rc.operationName ?? "";
          let query = byName.get(name);
          if (query === undefined) {
            const c = compileQuery(schema, rc.document, rc.operationName ?? undefined);
            query = isCompiledQuery(c) ? c : null;
            byName.set(name, query);
          }
          if (!query) return null;
          const result = await query.query(undefined, rc.contextValue, rc.request.variables ?? {});
          if (result.errors?.length || !result.data) return null;
          return { http: { status: undefined, headers: new HeaderMap() }, body: { kind: "single", singleResult: { data: result.data } } };
        },
      };
    },
  };
}

export async function createGraphQLHandler(options: GraphQLOptions) {
  const log = options.log ?? ((m: string) => console.error(m));
  const armor = armorProtection({ introspection: options.introspection });
  const apollo = new ApolloServer<Context>({
    schema,
    introspection: options.introspection,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    stopOnTerminationSignals: false, // the process owner (main.ts) orders the shutdown
    // A huge document is refused by the parser itself, with a 400 (GRAPHQL_PARSE_FAILED).
    parseOptions: { maxTokens: ARMOR_LIMITS.maxTokens },
    // Ours first, so a query over several limits is told about its cost or depth first.
    validationRules: [...depthAndCostRules(), ...armor.validationRules],
    formatError: formatError(log),
    // Cache-control costs ~3× on list queries and we set no cache hints.
    plugins: [
      // Armor's field-suggestion masking (when introspection is off).
      ...armor.plugins,
      ApolloServerPluginCacheControlDisabled(),
      ...(options.jit === false ? [] : [compiledQueries()]),
      options.landingPage ? landingPage(options.landingPage) : ApolloServerPluginLandingPageDisabled(),
    ],
  });
  await apollo.start();
  const handle = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    // The front door authenticates (cookie or bearer); the domain authorizes every field.
    const auth = await authenticateRequest(options.db, req);
    const context = async (): Promise<Context> => ({
      db: options.db,
      actor: auth.actor,
      http: { auth, setSessionCookie: (token, maxAge) => setSessionCookie(req, res, token, maxAge) },
    });
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(", ") : value);
    }
    const isJson = (req.headers["content-type"] ?? "").includes("json");
    const body = req.method === "POST" && isJson ? await readJson(req, options.maxBodyBytes) : undefined;
    const result = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? "GET", headers, search: url.search, body },
      context,
    });
    res.statusCode = result.status ?? 200;
    for (const [key, value] of result.headers) {
      // Keep the edge's `Vary: Origin` (http/edge.ts) next to Apollo's own Vary.
      const vary = key === "vary" ? res.getHeader("vary") : undefined;
      res.setHeader(key, vary ? `${String(vary)}, ${value}` : value);
    }
    if (result.body.kind === "complete") {
      res.end(result.body.string);
    } else {
      for await (const chunk of result.body.asyncIterator) res.write(chunk);
      res.end();
    }
  };
  return { handle, stop: () => apollo.stop() };
}
