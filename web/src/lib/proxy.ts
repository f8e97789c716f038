// What the same-origin forwarders (/graphql, /agent/*) pass between the browser
// and the API: the session cookie goes up, the API's Set-Cookie comes back, so
// signing in through the web app sets the httpOnly cookie on the web origin.
// The API trusts a cookie on a write only with its CSRF header; the forwarder
// adds it only for requests the browser itself marks as same-origin, so a
// cross-site page still cannot write with the cookie.

/** The API's CSRF header (api/src/http/auth.ts CSRF_HEADER). */
export const CSRF_HEADER = "x-storelite-csrf";

/** True when the browser says this request comes from a page of this very origin. */
export function isSameOrigin(req: Request): boolean {
  if (req.method === "GET" || req.method === "HEAD") return true;
  // Set by the browser itself; a page cannot forge it.
  const site = req.headers.get("sec-fetch-site");
  if (site) return site === "same-origin";
  const origin = req.headers.get("origin");
  const host = req.headers.get("host");
  if (!origin || !host) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/** The headers to send to the API for this browser request. */
export function upstreamHeaders(req: Request, names: readonly string[]): Headers {
  const headers = new Headers();
  for (const name of [...names, "cookie"]) {
    const v = req.headers.get(name);
    if (v) headers.set(name, v);
  }
  if (isSameOrigin(req)) headers.set(CSRF_HEADER, "1");
  // So the API marks the cookie Secure when the browser reached us over https.
  const proto = req.headers.get("x-forwarded-proto") ?? new URL(req.url).protocol.replace(/:$/, "");
  headers.set("x-forwarded-proto", proto);
  return headers;
}

/** Copies the API's Set-Cookie headers (each one separately) onto the answer. */
export function copySetCookie(from: Response, to: Headers) {
  for (const cookie of from.headers.getSetCookie()) to.append("set-cookie", cookie);
}
