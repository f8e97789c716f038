// The production path: the API starts mcp/src/stdio.ts as a child process on
// its own database and the agent's tools are that server's tools over stdio.
import { assistantMessage, functionCall, modelResponder } from "@openai/agents/testing";
import fs from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../src/db/open.ts";
import { toolOutputsIn, useAssistantServer } from "../src/agent/testing.ts";

const t = useAssistantServer({});

beforeAll(async () => {
  await seedDemo(t.db);
});

describe("assistant over the stdio MCP server", () => {
  it("sees StoreLite's MCP tools, reads through them and writes only after approval", async () => {
    t.model.enqueue(
      [functionCall("inventory_list_items", { search: "lipstick" }, { callId: "lip" })],
      modelResponder((call) => {
        const names = (call.request.tools ?? []).map((tool: { name?: string }) => tool.name).sort();
        expect(names).toEqual(expect.arrayContaining(["billing_create_bill", "inventory_add_item", "inventory_adjust_stock", "inventory_list_items", "inventory_update_item"]));
        const lipstick = toolOutputsIn(call.request).find((o) => o.callId === "lip")!.data.items.nodes[0];
        return [functionCall("inventory_adjust_stock", { item_id: lipstick.id, delta: "10", reason: "RESTOCK" }, { callId: "lip_add" })];
      }),
    );
    const asked = await t.chat({ message: "Add 10 lipsticks to stock" });
    expect(asked.status).toBe(200);
    expect(asked.body.pending_approvals.map((p: any) => p.tool)).toEqual(["inventory_adjust_stock"]);
    t.model.enqueue([assistantMessage("Lipstick stock is now 12 pieces.")]);
    const done = await t.chat({ session_id: asked.body.session_id, approval: { id: "lip_add", approve: true } });
    expect(done.body.results[0]).toMatchObject({ tool: "inventory_adjust_stock", ok: true, item: { name: "Lipstick", stock: "12.000" } });
    const { rows } = await t.db.pool.query("SELECT stock_qty FROM items WHERE name = 'Lipstick'");
    expect(rows[0].stock_qty).toBe("12.000");
    t.model.assertComplete();
  });

  it("when the MCP child process dies, the next request starts it again", async () => {
    // Our own children running the stdio MCP server (found by parent pid, not by name alone).
    const children = () =>
      fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d)).filter((pid) => {
        try {
          const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
          const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
          return ppid === process.pid && /mcp\/src\/stdio\.ts|dist\/mcp-stdio\.js/.test(fs.readFileSync(`/proc/${pid}/cmdline`, "utf8")); // compiled (npm start) or source (npm run dev)
        } catch {
          return false;
        }
      });
    const findSugar = async (callId: string) => {
      t.model.enqueue(
        [functionCall("inventory_list_items", { search: "sugar" }, { callId })],
        modelResponder((call) => {
          const out = toolOutputsIn(call.request).find((o) => o.callId === callId)!;
          return [assistantMessage(out.data ? `Found ${out.data.items.nodes.length} sugars.` : `Tool said: ${out.text}`)];
        }),
      );
      return t.chat({ message: "Find sugar" });
    };
    expect((await findSugar("before")).body.reply).toMatch(/^Found \d+ sugars\.$/);
    const [child] = children();
    expect(child).toBeDefined();
    process.kill(Number(child), "SIGKILL");
    // Gone for good (reaped), not just a zombie whose command line reads empty.
    const reaped = () => {
      try {
        process.kill(Number(child), 0);
        return false;
      } catch {
        return true;
      }
    };
    await expect.poll(reaped, { timeout: 10_000 }).toBe(true);

    const res = await findSugar("after");
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.reply).toMatch(/^Found \d+ sugars\.$/);
    expect(children()).toHaveLength(1);
  });
});
