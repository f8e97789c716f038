// The web server's edge (src/proxy.ts, sharing api/src/http/edge.ts with the API):
// a foreign Host gets nothing, a foreign Origin cannot write through the /graphql
// and /agent/chatkit forwarders, every response has the security headers, and the
// screens work in headless Chromium under the per-request-nonce CSP with no violation.
import http from "node:http";
import { beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "@storelite/api/db/open";
import { databaseChecksum } from "@storelite/api/testing/checksum";
import { TEST_PASSWORD, signInHeaders } from "@storelite/api/testing/fixtures";
import { useWebApp } from "./harness.ts";

const app = useWebApp();

beforeAll(async () => {
  await seedDemo(app.api.db);
});

/** A request over a plain socket to the web server, so Host and Origin can be anything. */
function raw(path: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
  const { port } = new URL(app.url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, path, method: opts.method ?? "GET", headers: opts.headers }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, text }));
    });
    req.on("error", reject);
    req.end(opts.body);
  });
}

const json = { "content-type": "application/json" };
const ITEMS = JSON.stringify({ query: "{ items(first: 3) { nodes { id name } } }" });
/** The owner's session cookie from a real sign-in, plus the CSRF header the API wants before a cookie may act. */
const ownerSession = () => signInHeaders(app.api.base, app.api.owner.staff!.username, TEST_PASSWORD);
const sugarId = async () => (await app.sql<{ id: number }>("SELECT id FROM items WHERE name = 'Sugar'"))[0]!.id;

describe("web server edge", () => {
  it("refuses a foreign Host on pages and forwarders: no data", async () => {
    for (const path of ["/", "/pos", "/admin", "/agent/status"]) {
      const res = await raw(path, { headers: { host: "evil.example:3000" } });
      expect({ path, status: res.status }).toEqual({ path, status: 403 });
      expect(JSON.parse(res.text).error.code).toBe("HOST_NOT_ALLOWED");
    }
    const gql = await raw("/graphql", { method: "POST", headers: { ...json, host: "evil.example:3000" }, body: ITEMS });
    expect(gql.status).toBe(403);
    expect(JSON.parse(gql.text)).toEqual({ errors: [{ message: expect.stringMatching(/^Host "evil\.example:3000" is not allowed/), extensions: { code: "HOST_NOT_ALLOWED" } }] });
    // The same request with this server's own name is answered (the check is not a blanket refusal).
    const session = await ownerSession();
    const foreignSignedIn = await raw("/graphql", { method: "POST", headers: { ...json, ...session, host: "evil.example:3000" }, body: ITEMS });
    expect(foreignSignedIn.status).toBe(403);
    expect(foreignSignedIn.text).not.toContain('"items"');
    const own = await raw("/graphql", { method: "POST", headers: { ...json, ...session, host: new URL(app.url).host }, body: ITEMS });
    expect(JSON.parse(own.text).data.items.nodes).toHaveLength(3);
  });

  it("a foreign Origin cannot write through /graphql or /agent/chatkit, and gets no CORS headers", async () => {
    const session = await ownerSession();
    const before = await databaseChecksum(app.api.db.pool);
    const mutation = JSON.stringify({ query: `mutation { updateItem(id: ${await sugarId()}, input: { unitPrice: "0.01" }) { __typename } }` });
    const thread = JSON.stringify({ type: "threads.create", params: { input: { content: [{ type: "input_text", text: "hi" }], attachments: [], inference_options: {} } } });
    for (const [path, body] of [["/graphql", mutation], ["/agent/chatkit", thread]] as const) {
      const attempts: Record<string, string>[] = [{ origin: "https://evil.example" }, { origin: "null" }, { "sec-fetch-site": "cross-site" }, { origin: "https://evil.example", "content-type": "text/plain" }];
      for (const headers of attempts) {
        // What a cross-site page can make the browser send: the session cookie, but not our CSRF header.
        const res = await raw(path, { method: "POST", headers: { ...json, cookie: session.cookie!, ...headers }, body });
        expect({ path, headers, status: res.status }).toEqual({ path, headers, status: 403 });
        expect(res.headers["access-control-allow-origin"]).toBeUndefined();
      }
    }
    const preflight = await raw("/graphql", { method: "OPTIONS", headers: { origin: "https://evil.example", "access-control-request-method": "POST" } });
    expect(preflight.status).toBe(403);
    expect(preflight.headers["access-control-allow-origin"]).toBeUndefined();
    expect(await databaseChecksum(app.api.db.pool)).toBe(before);
    expect(await app.sql("SELECT 1 FROM chatkit_threads")).toHaveLength(0);
    // Same origin (what the pages send) is forwarded.
    const same = await raw("/graphql", { method: "POST", headers: { ...json, ...session, origin: app.url, host: new URL(app.url).host }, body: mutation.replace("0.01", "160.00") });
    expect(JSON.parse(same.text)).toEqual({ data: { updateItem: { __typename: "UpdateItemSuccess" } } });
  });

  it("pages carry a CSP with a fresh nonce on every script, and the other security headers", async () => {
    const a = await raw("/pos");
    const b = await raw("/pos");
    for (const res of [a, b]) {
      expect(res.status).toBe(200);
      expect(res.headers["x-content-type-options"]).toBe("nosniff");
      expect(res.headers["x-frame-options"]).toBe("DENY");
      expect(res.headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
      const csp = String(res.headers["content-security-policy"]);
      expect(csp).toMatch(/frame-ancestors 'none'/);
      expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
      const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
      // Every script in the page is allowed by that nonce (inline ones could not run otherwise).
      const scripts = res.text.match(/<script\b[^>]*>/g) ?? [];
      expect(scripts.length).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    }
    const nonceOf = (res: typeof a) => /'nonce-([^']+)'/.exec(String(res.headers["content-security-policy"]))![1];
    expect(nonceOf(a)).not.toBe(nonceOf(b));
    // JSON from the forwarders is not sniffed either.
    const gql = await raw("/graphql", { method: "POST", headers: json, body: ITEMS });
    expect(gql.headers["x-content-type-options"]).toBe("nosniff");
  });
});

describe("the screens under the CSP (headless Chromium)", () => {
  it("/pos sells, /bills and /admin show it, /agent loads ChatKit: no CSP violation, no page error", async () => {
    const { page, cspViolations, errors } = await app.newWatchedPage();
    // ChatKit's script comes from OpenAI's CDN, which tests must not reach: a stand-in element is served at its URL.
    await page.route("https://cdn.platform.openai.com/**", (route) =>
      route.fulfill({ status: 200, contentType: "application/javascript", body: "customElements.define('openai-chatkit', class extends HTMLElement { setOptions() { this.dataset.optionsSet = 'true'; } });" }),
    );
    await page.goto(`${app.url}/pos`);
    await page.getByRole("combobox", { name: "Search or scan" }).waitFor();
    await page.keyboard.type("sugar");
    // Click the result (a keyboard Enter can land before the list has its active option under load) and see the line.
    await page.getByRole("option", { name: /Sugar/ }).first().click();
    await page.getByLabel(/^Quantity of .*Sugar/i).first().waitFor();
    await page.getByLabel("Store name").fill("CSP Store");
    await page.getByRole("button", { name: "Pay (F2)" }).click();
    await page.getByRole("button", { name: "Complete sale" }).click();
    const invoice = page.getByRole("article", { name: /^Invoice \d+$/ });
    await invoice.waitFor();
    const billNo = (await invoice.getByTestId("bill-number").textContent())!;

    // Client-side navigation loads more chunks: still nothing blocked.
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Bills" }).click();
    await page.getByRole("link", { name: new RegExp(`\\b${billNo}\\b`) }).first().waitFor();
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Inventory" }).click();
    await page.getByRole("row").filter({ hasText: "Sugar" }).first().waitFor();
    await page.goto(`${app.url}/admin`);
    await page.getByRole("row").filter({ hasText: "Sugar" }).first().waitFor();
    await page.goto(`${app.url}/agent`);
    await page.locator("openai-chatkit[data-options-set]").waitFor();
    await page.screenshot({ path: "/tmp/storelite-csp-agent.png" });

    expect(cspViolations).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("the CSP is really enforced: an inline script without the nonce is blocked and reported", async () => {
    const { page, cspViolations } = await app.newWatchedPage();
    await page.goto(`${app.url}/`);
    const ran = await page.evaluate(() => {
      const s = document.createElement("script");
      s.textContent = "window.__injected = true";
      document.body.appendChild(s);
      return (window as unknown as { __injected?: boolean }).__injected === true;
    });
    expect(ran).toBe(false);
    await expect.poll(() => cspViolations.some((v) => /script-src/.test(v))).toBe(true);
  });
});
