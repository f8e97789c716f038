// The rules for operation files, argument names and settings, without a database.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { schema } from "@storelite/api/graphql/schema";
import { loadOperations, operationsDir } from "./operations.ts";
import { snakeCase } from "./schemas.ts";
import { loadSettings } from "./setup.ts";
import { argumentPath, loadTools, WRITE_TOOLS } from "./tools.ts";

function dirWith(files: Record<string, string>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "storelite-ops-"));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

describe("operation files", () => {
  it("every operation in operations/ is a valid, described tool, and every write tool has one", () => {
    const ops = loadOperations(schema, operationsDir);
    expect(ops.map((o) => o.name)).toEqual(fs.readdirSync(operationsDir).filter((f) => f.endsWith(".graphql")).map((f) => f.replace(/\.graphql$/, "")).sort());
    const mutations = ops.filter((o) => o.kind === "mutation").map((o) => o.name);
    expect(mutations.sort()).toEqual(Object.keys(WRITE_TOOLS).sort());
  });

  it("refuses files that break the rules, naming the file and the rule", () => {
    const dir = dirWith({
      "wrong_name.graphql": "# Lists categories\nquery inventory_categories { categories { name } }",
      "NoComment.graphql": "query NoComment { categories { name } }",
      "bad_field.graphql": "# Asks for a field that does not exist\nquery bad_field { categories { colour } }",
      "two_ops.graphql": "# One\nquery two_ops { categories { name } }\nquery other { categories { name } }",
    });
    let message = "";
    try {
      loadOperations(schema, dir);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain("wrong_name.graphql: the operation is named inventory_categories; name the file inventory_categories.graphql");
    expect(message).toContain("NoComment: tool names are snake_case");
    expect(message).toContain('NoComment: start the file with a "# ..." comment');
    expect(message).toMatch(/bad_field: Cannot query field "colour"/);
    expect(message).toContain("two_ops: holds 2 operations");
  });

  it("uses fragments from other files and adds __typename where a result is a union", () => {
    const dir = dirWith({
      "fields.graphql": "fragment ItemFields on Item { id name }",
      "add_thing.graphql": "# Adds a thing\nmutation add_thing($name: String!) { createItem(input: { name: $name, unitPrice: 1 }) { ... on CreateItemSuccess { item { ...ItemFields } } ... on Error { message } } }",
    });
    const [op] = loadOperations(schema, dir);
    expect(op!.source).toContain("fragment ItemFields on Item");
    expect(op!.source).toMatch(/createItem\(input: \{name: \$name, unitPrice: 1\}\) \{\s+__typename/);
  });
});

describe("argument names", () => {
  it("are snake_case, and API error paths are given in their terms", () => {
    expect(["unitPrice", "itemId", "lowStockBelow", "customer_name", "sku"].map(snakeCase)).toEqual(["unit_price", "item_id", "low_stock_below", "customer_name", "sku"]);
    const tools = loadTools(schema);
    const bill = tools.find((t) => t.name === "billing_create_bill")!;
    expect(argumentPath(bill, ["lines", "2", "quantity"])).toBe("items[2].quantity");
    expect(argumentPath(bill, ["lines", "0", "itemId"])).toBe("items[0].item_id");
    expect(argumentPath(bill, ["customerName"])).toBe("customer_name");
    const update = tools.find((t) => t.name === "inventory_update_item")!;
    expect(argumentPath(update, ["id"])).toBe("item_id");
    expect(argumentPath(update, ["unitPrice"])).toBe("unit_price");
    expect(update.input.toVariables({ item_id: 3, unit_price: "12.50" })).toEqual({ item_id: 3, unit_price: "12.50" });
    expect(bill.input.toVariables({ items: [{ item_id: 1, quantity: 2 }] })).toEqual({ items: [{ itemId: 1, quantity: 2 }] });
  });
});

describe("settings", () => {
  it("default to 127.0.0.1:4100, in-process, every write tool", () => {
    expect(loadSettings({})).toEqual({ host: "127.0.0.1", port: 4100, allowedOrigins: [], allowedHosts: [], mutations: Object.keys(WRITE_TOOLS), delegated: false });
  });

  it("are read and checked, with one message naming every bad one", () => {
    const s = loadSettings({ STORELITE_API_URL: "http://127.0.0.1:4000/graphql", STORELITE_MCP_MUTATIONS: "billing_create_bill", STORELITE_MCP_ALLOWED_ORIGINS: "https://shop.example, http://pos.local:3000" });
    expect(s).toMatchObject({ apiUrl: "http://127.0.0.1:4000/graphql", mutations: ["billing_create_bill"], allowedOrigins: ["https://shop.example", "http://pos.local:3000"] });
    expect(loadSettings({ STORELITE_MCP_MUTATIONS: "none" }).mutations).toEqual([]);
    expect(() => loadSettings({ STORELITE_MCP_PORT: "http", STORELITE_MCP_TOKEN: "short", STORELITE_MCP_MUTATIONS: "drop_tables", STORELITE_API_URL: "ftp://x" })).toThrow(
      /STORELITE_API_URL: .*\n.*STORELITE_MCP_PORT: must be a port number\n.*STORELITE_MCP_TOKEN: must be a StoreLite API token.*\n.*STORELITE_MCP_MUTATIONS: unknown write tool drop_tables/,
    );
  });
});
