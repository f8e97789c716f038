// /agent in headless Chromium. ChatKit's element comes from OpenAI's CDN, which
// tests cannot (and must not) reach: every request there is intercepted. With a
// stand-in `openai-chatkit` element the page's options are checked, and the
// backend it points at answers through the page's own origin; without any
// element the page must say clearly that the chat could not be loaded.
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { useWebApp } from "./harness.ts";

const app = useWebApp();
const CDN = "https://cdn.platform.openai.com/**";

/** Records what the page hands to ChatKit instead of rendering a chat. */
const STUB_ELEMENT = `
class StubChatKit extends HTMLElement {
  setOptions(options) {
    window.__chatkitOptions = JSON.parse(JSON.stringify(options));
    this.dataset.optionsSet = "true";
    this.textContent = "stub ChatKit";
  }
}
customElements.define("openai-chatkit", StubChatKit);
`;

async function open(withElement: boolean): Promise<Page> {
  const page = await app.newPage();
  const cdnRequests: string[] = [];
  await page.route(CDN, async (route) => {
    cdnRequests.push(route.request().url());
    if (withElement) await route.fulfill({ status: 200, contentType: "application/javascript", body: STUB_ELEMENT });
    else await route.abort("internetdisconnected");
  });
  await page.goto(`${app.url}/agent`);
  (page as Page & { cdnRequests?: string[] }).cdnRequests = cdnRequests;
  return page;
}

describe("/agent", () => {
  it("hands ChatKit our backend, the domain key, the title, greeting and starter prompts", async () => {
    const page = await open(true);
    await page.locator("openai-chatkit[data-options-set]").waitFor();
    expect((page as Page & { cdnRequests?: string[] }).cdnRequests).toEqual(["https://cdn.platform.openai.com/deployments/chatkit/chatkit.js"]);
    const options = await page.evaluate(() => (window as unknown as { __chatkitOptions: any }).__chatkitOptions);
    expect(options.api).toEqual({ url: `${app.url}/agent/chatkit`, domainKey: "domain_pk_localhost_dev" });
    expect(options.startScreen.greeting).toBe("I can add items, update stock, and create bills for you");
    expect(options.startScreen.prompts.map((p: { prompt: string }) => p.prompt)).toEqual([
      "Add 10 kg sugar at 160 per kg under grocery",
      "Increase stock of flour by 25 kg",
      "Create a bill for Ali: 2 kg sugar and 1 shampoo bottle",
      "Show me all items with stock less than 5 units in the beauty category",
    ]);
    expect(options.header.title.text).toBe("StoreLite Assistant");
    expect(await page.getByTestId("chatkit-unavailable").count()).toBe(0);
    expect(await page.title()).toMatch(/Assistant/);

    // The URL ChatKit was given answers the ChatKit protocol (forwarded to the API's /chatkit).
    const listed = await page.evaluate(async (url: string) => {
      const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ type: "threads.list", params: { limit: 5, order: "desc" } }) });
      return { status: res.status, body: await res.json() };
    }, options.api.url);
    expect(listed).toEqual({ status: 200, body: { data: [], has_more: false } });

    if (!process.env.GOOGLE_GENERATIVE_AI_API_KEY && !process.env.GEMINI_API_KEY) {
      // No key in this test run: the page says what the assistant needs, and ChatKit's stream says it too.
      const notice = page.getByTestId("agent-no-key");
      await notice.waitFor();
      expect(await notice.textContent()).toMatch(/needs a Gemini API key.*GOOGLE_GENERATIVE_AI_API_KEY/);
      const streamed = await page.evaluate(async (url: string) => {
        const body = { type: "threads.create", params: { input: { content: [{ type: "input_text", text: "hello" }], attachments: [], inference_options: {} } } };
        const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
        return { type: res.headers.get("content-type"), text: await res.text() };
      }, options.api.url);
      expect(streamed.type).toMatch(/^text\/event-stream/);
      expect(streamed.text).toMatch(/^data: \{"type":"thread.created"/);
      expect(streamed.text).toMatch(/needs a Gemini API key/);
    }
  });

  it("says clearly that the chat could not be loaded when ChatKit's script is unavailable", async () => {
    const page = await open(false);
    const message = page.getByTestId("chatkit-unavailable");
    await message.waitFor();
    const text = (await message.textContent()) ?? "";
    expect(text).toMatch(/The chat window could not be loaded/);
    expect(text).toMatch(/cdn\.platform\.openai\.com/);
    expect(text).toMatch(/offline/);
    expect(await page.locator("openai-chatkit").count()).toBe(0);
  });
});
