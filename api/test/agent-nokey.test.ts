// Without a Gemini key the assistant says so plainly — on /agent/chat, on
// /agent/status and inside ChatKit — and the rest of StoreLite keeps working.
import { describe, expect, it } from "vitest";
import { useAssistantServer } from "../src/agent/testing.ts";

const t = useAssistantServer({
  scripted: false,
  config: { apiKey: undefined },
  mcpServers: () => {
    throw new Error("the MCP tools must not be started without a key");
  },
});

describe("assistant without a Gemini key", () => {
  it("/agent/chat and its stream answer 503 with how to set the key", async () => {
    const res = await t.chat({ message: "Add 10 kg sugar" });
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe("ASSISTANT_NOT_CONFIGURED");
    expect(res.body.error.message).toMatch(/needs a Gemini API key/);
    expect(res.body.error.message).toMatch(/GOOGLE_GENERATIVE_AI_API_KEY/);
    expect(res.body.error.message).toMatch(/GEMINI_API_KEY/);
    const stream = await t.post("/agent/chat/stream", { message: "hi" });
    expect(stream.status).toBe(503);
  });

  it("/agent/status tells the page", async () => {
    const res = await fetch(`${t.base}/agent/status`);
    expect(await res.json()).toEqual({ configured: false, model: "gemini-2.5-flash-lite", message: expect.stringMatching(/needs a Gemini API key/) });
  });

  it("ChatKit still keeps threads, and the assistant's answer is the explanation", async () => {
    const created = await t.chatkit({ type: "threads.create", params: { input: { content: [{ type: "input_text", text: "hello" }], attachments: [], inference_options: {} } } });
    expect(created.status).toBe(200);
    const answer = created.events!.find((e) => e.type === "thread.item.done" && (e as any).item.type === "assistant_message") as any;
    expect(answer.item.content[0].text).toMatch(/needs a Gemini API key.*GOOGLE_GENERATIVE_AI_API_KEY/);
    const list = await t.chatkit({ type: "threads.list", params: { limit: 10, order: "desc" } });
    expect(list.json.data).toHaveLength(1);
  });

  it("everything else keeps working", async () => {
    expect((await fetch(`${t.base}/health`)).status).toBe(200);
    const gql = await t.post("/graphql", { query: "{ categories { name } }" });
    expect(gql.status).toBe(200);
  });
});
