// Forwards a request from the browser to the API server (same origin for the
// page, no CORS needed), streaming the answer back — ChatKit's replies are SSE.
import { copySetCookie, forwardedHeaders } from "../../lib/credentials.ts";
import { apiUrl } from "./config.ts";

export async function forward(req: Request, path: string): Promise<Response> {
  // The browser's session (or token) goes along: the API decides what this person may do.
  const headers = forwardedHeaders(req);
  try {
    const res = await fetch(`${apiUrl()}${path}`, {
      method: req.method,
      headers,
      body: req.method === "GET" || req.method === "HEAD" ? undefined : await req.arrayBuffer(),
      cache: "no-store",
    });
    const out = new Headers({ "cache-control": "no-cache, no-transform", "x-accel-buffering": "no" });
    const type = res.headers.get("content-type");
    if (type) out.set("content-type", type);
    copySetCookie(res, out);
    return new Response(res.body, { status: res.status, headers: out });
  } catch {
    const error = { code: "API_UNREACHABLE", message: `The StoreLite API is not reachable at ${apiUrl()}. Is it running (npm start)?` };
    return Response.json({ error }, { status: 502 });
  }
}
