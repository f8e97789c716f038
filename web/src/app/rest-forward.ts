// Forwards a browser request to one of the API's REST paths (the import upload,
// the CSV export), read at request time like /graphql, streaming both ways.
// Unlike agent/forward.ts it streams the request body (a file up to the import cap) and keeps the query string.
import { forwardedHeaders } from "../lib/credentials.ts";
import { apiUrl as base } from "./agent/config.ts";

export async function forwardRest(req: Request, path: string): Promise<Response> {
  // The browser's session (or token) goes along: the API decides what this person may do.
  const headers = forwardedHeaders(req);
  try {
    const res = await fetch(`${base()}${path}${new URL(req.url).search}`, {
      method: req.method,
      headers,
      body: req.method === "GET" ? undefined : req.body,
      cache: "no-store",
      // @ts-expect-error Node's fetch needs duplex for a streamed request body.
      duplex: "half",
    });
    const out = new Headers({ "cache-control": "no-store" });
    for (const name of ["content-type", "content-disposition", "location"]) {
      const v = res.headers.get(name);
      if (v) out.set(name, v);
    }
    return new Response(res.body, { status: res.status, headers: out });
  } catch {
    return Response.json({ error: { code: "API_UNREACHABLE", message: `The StoreLite API is not reachable at ${base()}.` } }, { status: 502 });
  }
}
