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
import { systemActor } from "../domain/access.ts";
import { DomainError, ValidationError } from "../domain/errors.ts";
import { readJson } from "../http/body.ts";
import type { Context } from "./builder.ts";
import { queryLimitRules } from "./limits.ts";
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
  const apollo = new ApolloServer<Context>({
    schema,
    introspection: options.introspection,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    stopOnTerminationSignals: false, // the process owner (main.ts) orders the shutdown
    validationRules: queryLimitRules(),
    formatError: formatError(log),
    // Cache-control costs ~3× on list queries and we set no cache hints.
    plugins: [ApolloServerPluginCacheControlDisabled(), ...(options.jit === false ? [] : [compiledQueries()]), options.landingPage ? landingPage(options.landingPage) : ApolloServerPluginLandingPageDisabled()],
  });
  await apollo.start();
  // Until sign-in lands every request acts as the machine itself (see domain/access.ts).
  const context = async (): Promise<Context> => ({ db: options.db, actor: systemActor("api") });

  const handle = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
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
    for (const [key, value] of result.headers) res.setHeader(key, value);
    if (result.body.kind === "complete") {
      res.end(result.body.string);
    } else {
      for await (const chunk of result.body.asyncIterator) res.write(chunk);
      res.end();
    }
  };
  return { handle, stop: () => apollo.stop() };
}
