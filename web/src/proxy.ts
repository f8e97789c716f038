// Runs before every request the web server answers (pages, /graphql and /agent/*
// forwarders, static files): the same edge as the API server (api/src/http/edge.ts)
// — a foreign Host is refused (DNS rebinding), a write from a foreign Origin is
// refused before it is forwarded — and the security headers, with a per-request
// CSP nonce that Next.js puts on its own scripts.
import { NextResponse, type NextRequest } from "next/server";
import { loadEdgeEnv } from "@storelite/api/env";
import { EdgePolicy, SECURITY_HEADERS } from "@storelite/api/http/edge";
import { chatkitConfig } from "./app/agent/config.ts";
import { newNonce, webCsp } from "./lib/csp.ts";

let policy: EdgePolicy | undefined;
/** Built on first use, from the settings the API uses too (HOST is where `npm start` has us listen). */
function edge(): EdgePolicy {
  if (!policy) {
    const env = loadEdgeEnv(process.env);
    policy = new EdgePolicy({ allowedHosts: env.STORELITE_ALLOWED_HOSTS, allowedOrigins: env.STORELITE_ALLOWED_ORIGINS, listenHost: process.env.HOST || "127.0.0.1" });
  }
  return policy;
}

/** ChatKit's backend when it is set to another server (NEXT_PUBLIC_CHATKIT_API_URL): the page must reach it. */
function extraConnect(): string[] {
  try {
    const { url } = chatkitConfig();
    return /^https?:\/\//.test(url) ? [new URL(url).origin] : [];
  } catch {
    return [];
  }
}

export function proxy(request: NextRequest) {
  const verdict = edge().check({
    method: request.method,
    host: request.headers.get("host") ?? undefined,
    origin: request.headers.get("origin") ?? undefined,
    secFetchSite: request.headers.get("sec-fetch-site") ?? undefined,
    preflightMethod: request.headers.get("access-control-request-method") ?? undefined,
  });
  const headers = new Headers({ ...SECURITY_HEADERS, vary: "Origin" });
  if (!verdict.ok) {
    // In the shape each client reads: GraphQL errors for /graphql, StoreLite's error object elsewhere.
    const body = request.nextUrl.pathname === "/graphql" ? { errors: [{ message: verdict.message, extensions: { code: verdict.code } }] } : { error: { code: verdict.code, message: verdict.message } };
    return NextResponse.json(body, { status: verdict.status, headers });
  }
  for (const [k, v] of Object.entries(verdict.cors ?? {})) headers.set(k, v);
  if (verdict.preflight) return new NextResponse(null, { status: 204, headers });

  const csp = webCsp({ nonce: newNonce(), dev: process.env.NODE_ENV === "development", connect: extraConnect() });
  // Next.js reads the nonce from the request's CSP header while it renders the page.
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  headers.set("content-security-policy", csp);
  headers.forEach((v, k) => response.headers.set(k, v));
  return response;
}
