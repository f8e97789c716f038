// How the tools' operations run: over HTTP against a StoreLite GraphQL API, or
// in this process on the API's own schema and a database of our own. The tools
// only see the Executor interface, so they behave the same either way.
import { execute, GraphQLError, type DocumentNode, type GraphQLSchema } from "graphql";
import type { Database } from "@storelite/api/db/database";
import { NotAuthorizedError, type Actor } from "@storelite/api/domain/access";
import { authenticate } from "@storelite/api/domain/sessions";
import { DomainError, ValidationError } from "@storelite/api/domain/errors";

export interface OperationRequest {
  document: DocumentNode;
  /** `document` printed, for executors that send text. */
  source: string;
  operationName: string;
  variables: Record<string, unknown>;
  /**
   * A session or API token this one call acts with (the assistant passes its
   * user's); when absent the executor's own credential or actor is used.
   */
  credential?: string;
}

export interface GraphQLFailure {
  message: string;
  path?: readonly (string | number)[];
  extensions?: Record<string, unknown>;
}

export interface OperationResult {
  data?: Record<string, unknown> | null;
  errors?: GraphQLFailure[];
}

export interface Executor {
  run(request: OperationRequest): Promise<OperationResult>;
  /** Where the operations run, for logs. */
  readonly description: string;
  close(): Promise<void>;
}

/** Raised when the API cannot be reached or answers with something that is not GraphQL. */
export class ExecutorError extends Error {}

export interface HttpExecutorOptions {
  url: string;
  /** Sent as `Authorization: Bearer` unless a call brings its own credential. */
  token?: string;
  headers?: Record<string, string>;
  /** Per request; the API itself answers in milliseconds. */
  timeoutMs?: number;
}

export function httpExecutor(options: HttpExecutorOptions): Executor {
  const timeoutMs = options.timeoutMs ?? 30_000;
  return {
    description: `StoreLite API at ${options.url}`,
    async run({ source, operationName, variables, credential }) {
      let res: Response;
      const bearer = credential ?? options.token;
      try {
        res = await fetch(options.url, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            accept: "application/graphql-response+json, application/json",
            ...options.headers,
            ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
          },
          body: JSON.stringify({ query: source, operationName, variables }),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (err) {
        if ((err as Error).name === "TimeoutError") {
          // The request went out, so a write may have happened.
          throw new ExecutorError(
            `The StoreLite API at ${options.url} did not answer within ${timeoutMs / 1000} s. If this was a write, check whether it took effect before retrying (billing_create_bill is safe to retry with the same idempotency_key).`,
          );
        }
        const reason = (err as Error & { cause?: Error }).cause?.message ?? (err as Error).message;
        throw new ExecutorError(`Cannot reach the StoreLite API at ${options.url} (${reason}). Is it running (npm start)?`);
      }
      const text = await res.text();
      let body: OperationResult;
      try {
        body = JSON.parse(text) as OperationResult;
      } catch {
        throw new ExecutorError(`The StoreLite API at ${options.url} answered HTTP ${res.status} with something that is not GraphQL: ${text.slice(0, 200)}`);
      }
      if (!body || typeof body !== "object" || (!("data" in body) && !("errors" in body))) {
        const error = (body as { error?: { message?: string } } | null)?.error?.message;
        throw new ExecutorError(`The StoreLite API at ${options.url} answered HTTP ${res.status}${error ? `: ${error}` : ""}`);
      }
      return body;
    },
    async close() {},
  };
}

export interface InProcessExecutorOptions {
  schema: GraphQLSchema;
  /** The database, or a promise of it (so a server can answer while it starts). */
  db: Database | Promise<Database>;
  log?: (message: string) => void;
  /** An API token every call acts with (checked again on each call, so revoking it takes effect at once). */
  token?: string;
  /** Who calls act as when neither the call nor `token` brings a credential; anonymous by default. */
  actor?: Actor;
  /** Called by close(), e.g. to stop the database this executor owns. */
  onClose?: () => Promise<void>;
}

/**
 * Runs operations on the API's schema in this process. Errors are shaped as the
 * HTTP API shapes them: expected failures keep their message, anything
 * unexpected is logged and masked.
 */
export function inProcessExecutor(options: InProcessExecutorOptions): Executor {
  const log = options.log ?? ((m: string) => console.error(m));
  return {
    description: "in-process GraphQL on the StoreLite database",
    async run({ document, operationName, variables, credential }) {
      let db: Database;
      try {
        db = await options.db;
      } catch (err) {
        throw new ExecutorError(`StoreLite's database is not available: ${err instanceof Error ? err.message : String(err)}`);
      }
      const given = credential ?? options.token;
      const actor = given ? (await authenticate(db, given)).actor : (options.actor ?? { kind: "anonymous" as const });
      const result = await execute({ schema: options.schema, document, operationName, variableValues: variables, contextValue: { db, actor } });
      return {
        data: (result.data as Record<string, unknown> | null | undefined) ?? null,
        ...(result.errors?.length ? { errors: result.errors.map((e) => formatError(e, log)) } : {}),
      };
    },
    async close() {
      await options.onClose?.();
    },
  };
}

function formatError(error: GraphQLError, log: (m: string) => void): GraphQLFailure {
  const original = error.originalError;
  const path = error.path ? { path: error.path } : {};
  if (!error.path || !original || original instanceof GraphQLError) {
    // Errors outside any resolver (variable coercion, validation) are about the
    // request itself: safe and useful to show as they are.
    return { message: error.message, ...path, extensions: { code: "BAD_USER_INPUT" } };
  }
  if (original instanceof DomainError) {
    return {
      message: original.message,
      ...path,
      extensions: {
        code: original instanceof ValidationError ? "BAD_USER_INPUT" : original.code,
        ...(original instanceof ValidationError ? { fieldErrors: original.fieldErrors } : {}),
      },
    };
  }
  log(`internal error: ${original.stack ?? original.message}`);
  return { message: "Internal server error", ...path, extensions: { code: "INTERNAL_SERVER_ERROR" } };
}
