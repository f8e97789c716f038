// GET/POST /setup?token=…: the first-run page behind the link `npm start` prints
// while the shop has no staff. It creates the owner with the one-time token and
// signs them in (the session cookie also reaches the web app on the same host).
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Database } from "../db/database.ts";
import { DomainError, ValidationError } from "../domain/errors.ts";
import { createSession } from "../domain/sessions.ts";
import { setupOwner, staffCount } from "../domain/staff.ts";
import { setSessionCookie } from "./auth.ts";
import { readBody } from "./body.ts";
import { HttpError } from "./errors.ts";

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(res: ServerResponse, status: number, body: string) {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>StoreLite setup</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="referrer" content="no-referrer">
<style>body{font:16px system-ui,sans-serif;max-width:30rem;margin:3rem auto;padding:0 1rem}label{display:block;margin:.8rem 0}input{display:block;width:100%;padding:.4rem;font:inherit}button{margin-top:1rem;padding:.5rem 1rem;font:inherit}.error{color:#b00}</style>
</head><body><h1>StoreLite</h1>${body}</body></html>`;
  res.writeHead(status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", "x-frame-options": "DENY", "referrer-policy": "no-referrer" });
  res.end(html);
}

function form(token: string, error?: string, values: Record<string, string> = {}) {
  const v = (k: string) => escape(values[k] ?? "");
  return `<h2>Create the owner account</h2>
<p>This one-time link sets up the shop's owner, who can then add managers and cashiers.</p>
${error ? `<p class="error">${escape(error)}</p>` : ""}
<form method="post" action="/setup">
<input type="hidden" name="token" value="${escape(token)}">
<label>Your name<input name="displayName" required maxlength="80" value="${v("displayName")}" autocomplete="name"></label>
<label>Username<input name="username" required maxlength="40" value="${v("username")}" autocomplete="username"></label>
<label>Password (at least 8 characters)<input name="password" type="password" required minlength="8" autocomplete="new-password"></label>
<button type="submit">Create owner and sign in</button>
</form>`;
}

export function setupHandler(opts: { db: Database; webUrl?: string }) {
  return async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    if (url.pathname !== "/setup") throw new HttpError(404, "NOT_FOUND", `No such endpoint: ${req.method} ${url.pathname}`);
    if (req.method === "GET" || req.method === "HEAD") {
      if ((await staffCount(opts.db)) > 0) return page(res, 410, `<p>The shop already has an owner. <a href="${escape(opts.webUrl ?? "/")}">Sign in</a>.</p>`);
      return page(res, 200, form(url.searchParams.get("token") ?? ""));
    }
    if (req.method !== "POST") throw new HttpError(405, "METHOD_NOT_ALLOWED", "Use GET or POST /setup");
    const fields = Object.fromEntries(new URLSearchParams((await readBody(req, 10_000)).toString("utf8")));
    try {
      const staff = await setupOwner(opts.db, { token: fields.token, displayName: fields.displayName, username: fields.username, password: fields.password });
      const { token, session } = await createSession(opts.db, staff.id, "web");
      setSessionCookie(req, res, token, Math.floor((session.expiresAt.getTime() - Date.now()) / 1000));
      const next = opts.webUrl ? `<a href="${escape(opts.webUrl)}/admin">${escape(opts.webUrl)}/admin</a>` : "the web app";
      return page(res, 201, `<h2>Welcome, ${escape(staff.displayName)}</h2><p>You are the owner and are signed in. Continue to ${next}.</p>`);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      const message = err instanceof ValidationError ? err.fieldErrors.map((f) => `${f.path.join(".")}: ${f.message}`).join("; ") : err.message;
      return page(res, err instanceof ValidationError ? 422 : 403, form(fields.token ?? "", message, fields));
    }
  };
}
