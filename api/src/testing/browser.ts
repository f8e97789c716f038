// Headless Chromium for end-to-end tests: Debian's `chromium` driven by
// playwright-core (never a downloaded browser). useBrowser() gives each test
// file one browser; pages from it refuse every request that leaves the origin
// under test (so "works offline" is checked, not assumed) and record page errors.
import { existsSync } from "node:fs";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { SESSION_COOKIE } from "../http/auth.ts";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`No Chromium at ${CHROMIUM_PATH}: install it with \`apt-get install -y chromium\` (or set CHROMIUM_PATH).`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

export interface TestPage {
  page: Page;
  context: BrowserContext;
  /** Requests the page tried to make outside the allowed origin (all were refused). */
  offsite: string[];
  /** Uncaught errors in the page. */
  errors: string[];
  /** Content-Security-Policy violations the page reported (the event and the console's "Refused to ..."). */
  cspViolations: string[];
}

/**
 * Records every CSP violation of the pages in `context`: the DOM's securitypolicyviolation
 * event (added before any page script runs) and Chromium's console message for it.
 */
export async function recordCspViolations(context: BrowserContext): Promise<string[]> {
  const seen: string[] = [];
  await context.exposeBinding("__storeliteCspViolation", (_source, text: string) => void seen.push(text));
  // A string, not a function: this package is type-checked without the DOM's types.
  await context.addInitScript(`document.addEventListener("securitypolicyviolation", (e) =>
    window.__storeliteCspViolation(e.effectiveDirective + " blocked " + (e.blockedURI || "(inline)") + " on " + e.documentURI + (e.sample ? ": " + e.sample : "")));`);
  context.on("console", (msg) => {
    if (msg.type() === "error" && /Content Security Policy/i.test(msg.text())) seen.push(`console: ${msg.text()}`);
  });
  return seen;
}

export function useBrowser() {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return {
    get browser() {
      return browser!;
    },
    /**
     * A fresh page (own cookies and storage) that may only talk to `origin`;
     * with `session` (a session token) it is signed in, as after the sign-in page.
     */
    async newPage(origin: string, viewport = { width: 1400, height: 900 }, opts: { session?: string } = {}): Promise<TestPage> {
      const context = await browser!.newContext({ viewport });
      if (opts.session) await context.addCookies([{ name: SESSION_COOKIE, value: opts.session, url: origin, httpOnly: true, sameSite: "Lax" }]);
      const offsite: string[] = [];
      const errors: string[] = [];
      await context.route("**/*", (route) => {
        const url = route.request().url();
        if (url.startsWith(`${origin}/`) || url === origin || url.startsWith("data:") || url.startsWith("blob:")) return route.continue();
        offsite.push(url);
        return route.abort();
      });
      const cspViolations = await recordCspViolations(context);
      const page = await context.newPage();
      page.on("pageerror", (err) => errors.push(err.message));
      return { page, context, offsite, errors, cspViolations };
    },
  };
}
