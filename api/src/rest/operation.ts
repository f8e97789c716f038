// A REST operation is declared once — method, path, the zod schemas of its
// inputs and the responses it can give — and that one declaration drives both
// request handling (here) and the OpenAPI document (openapi.ts).
import { once } from "node:events";
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { authorizeAny, type Permission } from "../domain/access.ts";
import type { ServiceContext } from "../domain/context.ts";
import type { NotFoundError } from "../domain/errors.ts";
import { readJson } from "../http/body.ts";
import { HttpError } from "../http/errors.ts";
import { authenticateRequest, type RequestAuth } from "../http/auth.ts";
import { fromZod, toFailure, type FieldPath } from "./errors.ts";

export type Method = "GET" | "POST" | "PUT" | "DELETE";

export interface HeaderSpec {
  description: string;
  example?: string;
}

export interface ResponseSpec {
  description: string;
  schema?: z.ZodType;
  /** A response that is not JSON (e.g. text/csv): documented as a string of this media type. */
  mediaType?: string;
  headers?: Record<string, HeaderSpec>;
}

export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** Streamed instead of the JSON body (headers must then carry the content-type). */
  stream?: AsyncIterable<string>;
}

/** An operation whose request body is a file, handed to it as a stream instead of parsed JSON. */
export interface UploadSpec {
  mediaTypes: string[];
  description: string;
}

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface Operation<P = unknown, Q = unknown, H = unknown, B = unknown> {
  method: Method;
  /** OpenAPI path template, e.g. /items/{id}. */
  path: string;
  operationId: string;
  tag: string;
  summary: string;
  description?: string;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  headers?: z.ZodType<H>;
  body?: z.ZodType<B>;
  upload?: UploadSpec;
  /** An example request body for the document. */
  example?: unknown;
  /** Every answer the operation gives, by status (the shared request failures are added by the router). */
  responses: Record<number, ResponseSpec>;
  /**
   * The permission the domain checks (any one of a list), declared here for the
   * document and the authorization matrix test; "public" needs no sign-in.
   */
  permission: Permission | readonly Permission[] | "public";
  /** Where in the body a NotFoundError points, when it is about something the body references. */
  reference?: (body: B, err: NotFoundError) => FieldPath | undefined;
  handle(input: { params: P; query: Q; headers: H; body: B; url: URL; req: IncomingMessage; upload?: IncomingMessage }, ctx: RequestContext): Promise<Reply>;
}

/** Declares an operation with its input types inferred from its schemas. */
export function operation<
  PS extends z.ZodType | undefined = undefined,
  QS extends z.ZodType | undefined = undefined,
  HS extends z.ZodType | undefined = undefined,
  BS extends z.ZodType | undefined = undefined,
>(
  op: Omit<Operation<Out<PS>, Out<QS>, Out<HS>, Out<BS>>, "params" | "query" | "headers" | "body"> & {
    params?: PS;
    query?: QS;
    headers?: HS;
    body?: BS;
  },
): Operation {
  return op as unknown as Operation;
}

/** The services' context plus what the request authenticated with (for sign-in and sign-out). */
export interface RequestContext extends ServiceContext {
  auth: RequestAuth;
}

/** Failures any operation with a JSON body can give, before it runs. */
export const bodyFailures = (errorSchema: z.ZodType): Record<number, ResponseSpec> => ({
  400: { description: "The body is empty or not valid JSON (MALFORMED_JSON, EMPTY_BODY).", schema: errorSchema },
  413: { description: "The body is larger than the server's limit (PAYLOAD_TOO_LARGE).", schema: errorSchema },
  415: { description: "The body is not sent as application/json (UNSUPPORTED_MEDIA_TYPE).", schema: errorSchema },
});

function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw fromZod(result.error, value);
  return result.data;
}

const isJson = (contentType: string | undefined) => /^application\/([\w.+-]*\+)?json\s*(;|$)/i.test(contentType ?? "");

export interface Router {
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>;
}

export function createRouter(operations: Operation[], opts: { db: ServiceContext["db"]; maxBodyBytes: number }): Router {
  const compiled = operations.map((op) => ({
    op,
    pattern: new RegExp(`^${op.path.replace(/\{(\w+)\}/g, "(?<$1>[^/]+)")}$`),
  }));

  const send = async (res: ServerResponse, reply: Reply) => {
    if (reply.stream) {
      res.writeHead(reply.status, reply.headers);
      for await (const chunk of reply.stream) if (!res.write(chunk)) await once(res, "drain");
      res.end();
      return;
    }
    const text = JSON.stringify(reply.body);
    res.writeHead(reply.status, {
      ...reply.headers,
      ...(res.getHeader("set-cookie") ? { "set-cookie": res.getHeader("set-cookie") as string[] } : {}),
      "content-type": "application/json; charset=utf-8",
      "content-length": Buffer.byteLength(text),
    });
    res.end(text);
  };

  return {
    async handle(req, res, url) {
      const matching = compiled.map((c) => ({ ...c, match: c.pattern.exec(url.pathname) })).filter((c) => c.match);
      if (!matching.length) throw new HttpError(404, "NOT_FOUND", `No such endpoint: ${req.method} ${url.pathname}`);
      const found = matching.find((c) => c.op.method === req.method);
      if (!found) {
        const allow = matching.map((c) => c.op.method).join(", ");
        res.setHeader("allow", allow);
        throw new HttpError(405, "METHOD_NOT_ALLOWED", `${req.method} is not allowed on ${url.pathname}; use ${allow}`);
      }
      const { op, match } = found;
      let body: unknown;
      try {
        const auth = await authenticateRequest(opts.db, req);
        const ctx: RequestContext = { db: opts.db, actor: auth.actor, auth };
        // The declared rule first: a stranger learns nothing about the input (415, 422) of a route they may not use.
        // The domain checks again, with the finer rules (e.g. ADJUST_STOCK for an import's stock column).
        if (op.permission !== "public") authorizeAny(ctx, typeof op.permission === "string" ? [op.permission] : (op.permission as [Permission, ...Permission[]]));
        // A path id that is not an id names nothing that exists.
        const params = op.params ? op.params.safeParse(match!.groups ?? {}) : undefined;
        if (params && !params.success) throw new HttpError(404, "NOT_FOUND", `No such resource: ${url.pathname}`);
        const query = op.query ? parse(op.query, Object.fromEntries(url.searchParams)) : undefined;
        const headers = op.headers ? parse(op.headers, req.headers) : undefined;
        let upload: IncomingMessage | undefined;
        if (op.upload) {
          const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
          if (!op.upload.mediaTypes.includes(type)) {
            req.resume();
            throw new HttpError(415, "UNSUPPORTED_MEDIA_TYPE", `Send the file as the request body with Content-Type: ${op.upload.mediaTypes.join(" or ")}`);
          }
          upload = req;
        }
        if (op.body) {
          if (!isJson(req.headers["content-type"])) {
            req.resume();
            throw new HttpError(415, "UNSUPPORTED_MEDIA_TYPE", "Send the body as JSON with Content-Type: application/json");
          }
          body = parse(op.body, await readJson(req, opts.maxBodyBytes));
        }
        await send(res, await op.handle({ params: params?.data, query, headers, body, url, req, upload }, ctx));
      } catch (err) {
        const failure = toFailure(err, body === undefined ? undefined : (e) => op.reference?.(body, e));
        if (!failure) throw err; // a bug: the server logs it and answers 500
        // A refused upload may be unread: close the connection after answering rather than reuse a socket mid-body.
        if (op.upload && !req.readableEnded) res.setHeader("connection", "close");
        await send(res, failure);
      }
    },
  };
}
