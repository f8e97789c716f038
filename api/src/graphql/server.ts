// Apollo Server over the Pothos schema, as a plain node:http handler so it can
// share one server (and one port) with the other front doors.
import type { IncomingMessage, ServerResponse } from "node:http";
import { ApolloServer, HeaderMap, type ApolloServerPlugin } from "@apollo/server";
import { unwrapResolverError } from "@apollo/server/errors";
import { ApolloServerPluginCacheControlDisabled } from "@apollo/server/plugin/disabled";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { NoSchemaIntrospectionCustomRule, getOperationAST, parse, specifiedRules, validate, type DocumentNode, type GraphQLFormattedError, type ValidationRule } from "graphql";
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

// Compiled queries (graphql-jit), per parsed document and operation name (one
// document may hold several operations); null when graphql-jit cannot compile it.
const compiled = new WeakMap<DocumentNode, Map<string, CompiledQuery | null>>();
function compiledOperation(document: DocumentNode, operationName: string | null | undefined): CompiledQuery | null {
  let byName = compiled.get(document);
  if (!byName) compiled.set(document, (byName = new Map()));
  const name = operationName ?? "";
  let query = byName.get(name);
  if (query === undefined) {
    const c = compileQuery(schema, document, operationName ?? undefined);
    query = isCompiledQuery(c) ? c : null;
    byName.set(name, query);
  }
  return query;
}

/**
 * Runs the queries Apollo serves (see directQueries for the rest) through
 * graphql-jit: each validated document (Apollo's document store hands back the
 * same object for the same text) is compiled once. Only successful results are
 * answered here; a query whose result carries errors is run again by Apollo
 * itself, so error formatting, masking and status codes stay Apollo's own
 * (queries only read, so running one twice is safe).
 */
function compiledQueries(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async responseForOperation(rc) {
          if (rc.operation?.operation !== "query") return null;
          const query = compiledOperation(rc.document, rc.operationName);
          if (!query) return null;
          const result = await query.query(undefined, rc.contextValue, rc.request.variables ?? {});
          if (result.errors?.length || !result.data) return null;
          return { http: { status: undefined, headers: new HeaderMap() }, body: { kind: "single", singleResult: { data: result.data } } };
        },
      };
    },
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const mediaType = (header: string | undefined) => (header ?? "").split(";", 1)[0]!.trim().toLowerCase();
const JSON_TYPE = "application/json; charset=utf-8";

/**
 * The content type Apollo gives a successful query's answer depends on the
 * request's Accept header alone (its own negotiation, which it does not export):
 * learnt from Apollo's first answer for each Accept value (urql's, say), known
 * for none, JSON and wildcards.
 */
function answerTypes() {
  const learnt = new Map<string, string>();
  const plain = (accept: string) => accept.split(",").every((range) => ["application/json", "*/*", "application/*"].includes(range.trim().toLowerCase()));
  return {
    of: (accept: string | undefined) => (accept === undefined || plain(accept) ? JSON_TYPE : learnt.get(accept)),
    learn(accept: string | undefined, contentType: string | undefined) {
      if (accept === undefined || !contentType || learnt.has(accept)) return;
      if (learnt.size >= 100) learnt.clear(); // bounded: an odd header only costs its sender the direct path
      learnt.set(accept, contentType);
    },
  };
}

/**
 * The direct path for successful queries: a POSTed JSON query is parsed and
 * validated once per text (with Apollo's rules), compiled once per operation,
 * run, and its result written byte for byte as Apollo writes it — without
 * Apollo's per-request pipeline (query hashing, header maps, plugin hooks), which
 * cost as much CPU as the query itself on a list read. Everything else goes to
 * Apollo, which answers as it always did: mutations, GET, persisted-query
 * extensions, an Accept other than JSON, and any error (parse, validation,
 * variables, resolvers — a query that failed here runs again there; queries only read).
 */
function directQueries(validationRules: ValidationRule[]) {
  type Prepared = { document: DocumentNode } | null; // null: Apollo reports what is wrong with it
  const documents = new Map<string, Prepared>();
  let cachedChars = 0;
  const prepare = (text: string): Prepared => {
    let prepared = documents.get(text);
    if (prepared !== undefined) return prepared;
    try {
      const document = parse(text, { maxTokens: ARMOR_LIMITS.maxTokens });
      prepared = validate(schema, document, [...specifiedRules, ...validationRules]).length ? null : { document };
    } catch {
      prepared = null;
    }
    // Bounded: a client sending endless distinct texts only costs itself the cache.
    if (documents.size >= 1000 || cachedChars + text.length > 4_000_000) {
      documents.clear();
      cachedChars = 0;
    }
    documents.set(text, prepared);
    cachedChars += text.length;
    return prepared;
  };
  const types = answerTypes();
  /** The response (body and content type), or undefined when Apollo should answer. */
  const answer = async (req: IncomingMessage, body: unknown, context: Context): Promise<{ body: string; type: string } | undefined> => {
    const type = types.of(req.headers.accept);
    if (req.method !== "POST" || mediaType(req.headers["content-type"]) !== "application/json" || !type) return undefined;
    if (!isRecord(body) || typeof body.query !== "string" || body.extensions != null) return undefined;
    const { operationName, variables } = body;
    if (operationName != null && typeof operationName !== "string") return undefined;
    if (variables != null && !isRecord(variables)) return undefined;
    const prepared = prepare(body.query);
    if (!prepared || getOperationAST(prepared.document, operationName)?.operation !== "query") return undefined;
    const query = compiledOperation(prepared.document, operationName);
    if (!query) return undefined;
    try {
      const result = await query.query(undefined, context, variables ?? {});
      if (result.errors?.length || !result.data) return undefined;
      return { body: `${JSON.stringify({ data: result.data })}\n`, type };
    } catch {
      return undefined;
    }
  };
  return { answer, learnAnswerType: types.learn };
}

export async function createGraphQLHandler(options: GraphQLOptions) {
  const log = options.log ?? ((m: string) => console.error(m));
  const armor = armorProtection({ introspection: options.introspection });
  // Ours first, so a query over several limits is told about its cost or depth first.
  const validationRules = [...depthAndCostRules(), ...armor.validationRules];
  // Apollo's own order: graphql-js's rules, no introspection when it is off, then ours.
  const direct = options.jit === false ? undefined : directQueries([...(options.introspection ? [] : [NoSchemaIntrospectionCustomRule]), ...validationRules]);
  const apollo = new ApolloServer<Context>({
    schema,
    introspection: options.introspection,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    stopOnTerminationSignals: false, // the process owner (main.ts) orders the shutdown
    // A huge document is refused by the parser itself, with a 400 (GRAPHQL_PARSE_FAILED).
    parseOptions: { maxTokens: ARMOR_LIMITS.maxTokens },
    validationRules,
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
  let answeredDirectly = 0;
  const handle = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    // The front door authenticates (cookie or bearer); the domain authorizes every field.
    const auth = await authenticateRequest(options.db, req);
    const context = (): Context => ({
      db: options.db,
      actor: auth.actor,
      http: { auth, setSessionCookie: (token, maxAge) => setSessionCookie(req, res, token, maxAge) },
    });
    const isJson = (req.headers["content-type"] ?? "").includes("json");
    const body = req.method === "POST" && isJson ? await readJson(req, options.maxBodyBytes) : undefined;
    const answer = direct && (await direct.answer(req, body, context()));
    if (answer) {
      answeredDirectly += 1;
      res.statusCode = 200;
      res.setHeader("content-type", answer.type);
      res.end(answer.body);
      return;
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(", ") : value);
    }
    const result = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? "GET", headers, search: url.search, body },
      context: async () => context(),
    });
    res.statusCode = result.status ?? 200;
    // A query Apollo answered in full: how it answers this Accept header.
    if (direct && res.statusCode === 200 && result.body.kind === "complete" && result.body.string.startsWith('{"data":')) {
      direct.learnAnswerType(req.headers.accept, result.headers.get("content-type"));
    }
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
  /** answeredDirectly: how many requests the direct path answered (for tests). */
  return { handle, stop: () => apollo.stop(), answeredDirectly: () => answeredDirectly };
}
