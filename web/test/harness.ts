// One test file = a fresh database, the real API server on it, the built
// Next.js app served against that API, and a headless Chromium.
import { afterAll, beforeAll } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launchBrowser, recordCspViolations } from "@storelite/api/testing/browser";
import { freePort } from "@storelite/api/db/embedded";
import { TEST_PASSWORD, useTestServer } from "@storelite/api/testing/fixtures";
import type { Role } from "@storelite/api/domain/access";
// Brings in the ProvidedContext (pgServerUrl) its globalSetup declares.
import type {} from "@storelite/api/testing/global-setup";
import { serveWeb, type WebServer } from "../scripts/serve.ts";

/** Signs in on the real /signin page and waits until the top bar shows who is signed in. */
async function signInOn(url: () => string, page: Page, username: string, password: string) {
  await page.goto(`${url()}/signin`);
  const form = page.getByRole("form", { name: "Sign in" });
  await form.getByLabel("Username").fill(username);
  await form.getByLabel("Password").fill(password);
  await form.getByRole("button", { name: "Sign in" }).click();
  await page.getByTestId("whoami").waitFor();
}

export function useWebApp() {
  const api = useTestServer();
  let web: WebServer | undefined;
  let browser: Browser | undefined;
  const pages: Page[] = [];
  const signIn = (page: Page, username: string, password: string) => signInOn(() => web!.url, page, username, password);

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
     * A new page (its own cookies and localStorage) on a laptop-sized screen unless
     * told otherwise, signed in through the real sign-in page as `as` (default the
     * owner; null: not signed in).
     */
    async newPage(viewport = { width: 1280, height: 800 }, opts: { as?: Role | null } = {}): Promise<Page> {
      const context = await browser!.newContext({ viewport });
      const page = await context.newPage();
      page.on("pageerror", (e) => console.error(`page error: ${e.message}`));
      pages.push(page);
      const role = opts.as === undefined ? "OWNER" : opts.as;
      if (role) await signIn(page, (await api.as(role)).staff!.username, TEST_PASSWORD);
      return page;
    },
    /** A new page that also records Content-Security-Policy violations and uncaught errors. */
    async newWatchedPage(viewport = { width: 1280, height: 800 }, opts: { as?: Role | null } = {}): Promise<{ page: Page; cspViolations: string[]; errors: string[] }> {
      const context = await browser!.newContext({ viewport });
      const cspViolations = await recordCspViolations(context);
      const page = await context.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      pages.push(page);
      const role = opts.as === undefined ? "OWNER" : opts.as;
      if (role) await signIn(page, (await api.as(role)).staff!.username, TEST_PASSWORD);
      return { page, cspViolations, errors };
    },
    signIn,
    /** Runs SQL on the test database. */
    async sql<T extends Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
      return (await api.db.pool.query(text, params)).rows as T[];
    },
  };
}
