// One test file = a fresh database, the real API server on it, the built
// Next.js app served against that API, and a headless Chromium.
import { afterAll, beforeAll } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launchBrowser, recordCspViolations } from "@storelite/api/testing/browser";
import { freePort } from "@storelite/api/db/embedded";
import { useTestServer } from "@storelite/api/testing/fixtures";
import { SESSION_COOKIE } from "@storelite/api/http/auth";
// Brings in the ProvidedContext (pgServerUrl) its globalSetup declares.
import type {} from "@storelite/api/testing/global-setup";
import { serveWeb, type WebServer } from "../scripts/serve.ts";

export function useWebApp() {
  const api = useTestServer();
  let web: WebServer | undefined;
  let browser: Browser | undefined;
  const pages: Page[] = [];

  beforeAll(async () => {
    web = await serveWeb({ apiUrl: api.base, host: "127.0.0.1", port: await freePort(), quiet: true });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await web?.stop();
  });

  return {
    api,
    get url() {
      return web!.url;
    },
    /**
     * A new page (its own localStorage) on a laptop-sized screen unless told
     * otherwise, signed in as the owner (the session cookie a sign-in sets) unless `session: null`.
     */
    async newPage(viewport = { width: 1280, height: 800 }, opts: { session?: string | null } = {}): Promise<Page> {
      const context = await browser!.newContext({ viewport });
      const session = opts.session === undefined ? api.owner.token : opts.session;
      if (session) await context.addCookies([{ name: SESSION_COOKIE, value: session, url: web!.url, httpOnly: true, sameSite: "Lax" }]);
      const page = await context.newPage();
      page.on("pageerror", (e) => console.error(`page error: ${e.message}`));
      pages.push(page);
      return page;
    },
    /** A new page that also records Content-Security-Policy violations and uncaught errors. */
    async newWatchedPage(viewport = { width: 1280, height: 800 }): Promise<{ page: Page; cspViolations: string[]; errors: string[] }> {
      const context = await browser!.newContext({ viewport });
      const cspViolations = await recordCspViolations(context);
      const page = await context.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      pages.push(page);
      return { page, cspViolations, errors };
    },
    /** Runs SQL on the test database. */
    async sql<T extends Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
      return (await api.db.pool.query(text, params)).rows as T[];
    },
  };
}
