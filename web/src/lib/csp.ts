// The web app's Content-Security-Policy, built per request around a fresh nonce:
// Next.js puts that nonce on its own inline and framework scripts (it reads it from
// the request's CSP header, set in src/proxy.ts), so no inline script runs without it.
import { CHATKIT_SCRIPT_URL } from "../app/agent/config.ts";

/** Where ChatKit comes from: its script, and the frame it renders the chat in. */
const CHATKIT_ORIGIN = new URL(CHATKIT_SCRIPT_URL).origin;

/** A 128-bit random nonce, base64 (as CSP's nonce-source wants). */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

export function webCsp(opts: { nonce: string; dev?: boolean; connect?: readonly string[] }): string {
  return [
    "default-src 'self'",
    // 'self' for Next's chunks (also those loaded on navigation); the nonce for its inline
    // bootstrap and flight data; ChatKit's element script on /agent. React needs eval only in dev.
    `script-src 'self' 'nonce-${opts.nonce}' ${CHATKIT_ORIGIN}${opts.dev ? " 'unsafe-eval'" : ""}`,
    // React renders style attributes (and ChatKit sets its own): style injection cannot run code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    ["connect-src 'self'", ...(opts.connect ?? [])].join(" "),
    `frame-src ${CHATKIT_ORIGIN}`,
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}
