// What the same-origin forwarders (/graphql, /agent/*) pass on to the API so it
// knows who is asking: the session cookie and any bearer token, and — only for
// requests the browser itself marks as same-origin — the CSRF header the API
// requires before a cookie may write. A cross-site page can make the browser
// send the cookie here, but not with Sec-Fetch-Site: same-origin or our Origin.
export const CSRF_HEADER = "x-storelite-csrf";

function sameOrigin(req: Request): boolean {
  if (req.headers.get("sec-fetch-site") === "same-origin") return true;
  const origin = req.headers.get("origin");
  const host = req.headers.get("host");
  if (!origin || !host) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/** Headers for a request forwarded to the API: the named ones the browser sent, plus its credentials. */
export function forwardedHeaders(req: Request, names: readonly string[] = ["content-type", "accept"]): Headers {
  const headers = new Headers();
  for (const name of names) {
    const v = req.headers.get(name);
    if (v) headers.set(name, v);
  }
  forwardCredentials(req, headers);
  return headers;
}

function forwardCredentials(req: Request, headers: Headers) {
  for (const name of ["cookie", "authorization"]) {
    const v = req.headers.get(name);
    if (v) headers.set(name, v);
  }
  if (req.headers.get(CSRF_HEADER) !== null || sameOrigin(req)) headers.set(CSRF_HEADER, "1");
  // So the API marks the cookie Secure when the browser reached us over https (through a TLS proxy).
  headers.set("x-forwarded-proto", req.headers.get("x-forwarded-proto") ?? new URL(req.url).protocol.replace(/:$/, ""));
  // The API rate-limits sign-ins per client address; tell it whose they are.
  const forwarded = req.headers.get("x-forwarded-for");
  if (forwarded) headers.set("x-forwarded-for", forwarded);
}

/** The API's Set-Cookie (sign-in, sign-out) goes back to the browser on this origin. */
export function copySetCookie(res: Response, out: Headers) {
  for (const c of res.headers.getSetCookie()) out.append("set-cookie", c);
}
