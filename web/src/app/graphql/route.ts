// Same-origin /graphql for the browser, forwarded to the API server, so the
// API needs no CORS. This is a route handler rather than a next.config
// `rewrites()` entry because Next bakes rewrites into the build manifest: a
// built app could then never be pointed at another API (STORELITE_API_URL is
// read here at request time, so one build serves any API address).
import { copySetCookie, forwardedHeaders } from "../../lib/credentials.ts";

export const dynamic = "force-dynamic";

/**
 * The API's GraphQL endpoint. STORELITE_API_URL is the API server's base URL
 * (what `npm start` passes); one ending in /graphql, as the MCP server takes it, works too.
 */
const endpoint = () => {
  const url = (process.env.STORELITE_API_URL || "http://127.0.0.1:4000").replace(/\/+$/, "");
  return url.endsWith("/graphql") ? url : `${url}/graphql`;
};

async function forward(req: Request): Promise<Response> {
  // The browser's session (or token) goes along: the API decides what this person may do.
  const headers = forwardedHeaders(req, ["content-type", "accept", "apollo-require-preflight", "x-apollo-operation-name"]);
  try {
    const res = await fetch(`${endpoint()}${new URL(req.url).search}`, {
      method: req.method,
      headers,
      body: req.method === "GET" ? undefined : await req.arrayBuffer(),
      cache: "no-store",
    });
    const out = new Headers();
    const type = res.headers.get("content-type");
    if (type) out.set("content-type", type);
    out.set("cache-control", "no-store");
    copySetCookie(res, out);
    return new Response(res.body, { status: res.status, headers: out });
  } catch {
    const body = { errors: [{ message: `The StoreLite API is not reachable at ${endpoint()}.`, extensions: { code: "API_UNREACHABLE" } }] };
    return Response.json(body, { status: 502 });
  }
}

export const POST = forward;
export const GET = forward;
