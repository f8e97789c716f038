// Reports, thresholds, alerts and alert channels through the real GraphQL server.
import { describe, expect, it } from "vitest";
import { useTestServer } from "../src/testing/fixtures.ts";

const t = useTestServer(5);

describe("GraphQL: thresholds, reports, alerts", () => {
  it("creates an item with thresholds and a cost, sells it below the point, and reads the reports and the alert", async () => {
    const created = await t.graphql(
      `mutation { createItem(input: { name: "GQL Soap", category: "Beauty", unitPrice: "120", stockQty: "10", reorderPoint: "8", reorderQty: "24", unitCost: "70.50" }) {
        __typename ... on CreateItemSuccess { item { id reorderPoint reorderQty unitCost lowStockAt } } } }`,
    );
    const item = created.data.createItem.item;
    expect(item).toMatchObject({ reorderPoint: "8.000", reorderQty: "24.000", unitCost: "70.50", lowStockAt: "8.000" });
    const sale = await t.graphql(`mutation($id: Int!) { createBill(input: { lines: [{ itemId: $id, quantity: 3 }] }) { __typename } }`, { id: item.id });
    expect(sale.data.createBill.__typename).toBe("CreateBillSuccess");

    const r = await t.graphql(`{
      lowStockItems { id stockQty lowStockAt }
      reorderSuggestions { category estimatedCost lines { quantity estimatedCost item { id } } }
      stockAlerts { itemId itemName stockQty reorderPoint clearedAt }
      salesSummary(period: TODAY) { __typename ... on SalesSummarySuccess { report { range { period timeZone } totals { bills gross net cost margin } } } }
      topItems(period: THIS_WEEK, by: REVENUE) { ... on TopItemsSuccess { report { rows { itemName quantity revenue } } } }
      revenueByCategory(period: LAST_7_DAYS) { ... on RevenueByCategorySuccess { report { total rows { category revenue share margin } } } }
      salesByHour(period: TODAY) { ... on SalesByHourSuccess { report { rows { hour bills } } } }
      stockValuation { costValue rows { category costValue } }
      slowMovers(days: 1) { ... on SlowMoversSuccess { report { rows { item { id } } } } }
      bills(period: TODAY) { nodes { id totalAmount } }
    }`);
    expect(r.errors).toBeUndefined();
    const d = r.data;
    expect(d.lowStockItems).toEqual([{ id: item.id, stockQty: "7.000", lowStockAt: "8.000" }]);
    expect(d.reorderSuggestions).toEqual([{ category: "Beauty", estimatedCost: "1692.00", lines: [{ quantity: "24.000", estimatedCost: "1692.00", item: { id: item.id } }] }]);
    expect(d.stockAlerts).toEqual([{ itemId: item.id, itemName: "GQL Soap", stockQty: "7.000", reorderPoint: "8.000", clearedAt: null }]);
    expect(d.salesSummary.report.totals).toEqual({ bills: 1, gross: "360.00", net: "360.00", cost: "211.50", margin: "148.50" });
    expect(d.salesSummary.report.range.period).toBe("TODAY");
    expect(d.topItems.report.rows).toEqual([{ itemName: "GQL Soap", quantity: "3.000", revenue: "360.00" }]);
    expect(d.revenueByCategory.report).toEqual({ total: "360.00", rows: [{ category: "Beauty", revenue: "360.00", share: "100.0", margin: "148.50" }] });
    expect(d.salesByHour.report.rows.reduce((n: number, h: { bills: number }) => n + h.bills, 0)).toBe(1);
    expect(d.stockValuation.costValue).toBe("493.50");
    expect(d.slowMovers.report.rows).toEqual([]);
    expect(d.bills.nodes).toHaveLength(1);
  });

  it("refuses a bad range as a typed ValidationError naming the field", async () => {
    const r = await t.graphql(`{ salesSummary(from: "2026-11-02", to: "2026-11-01") { __typename ... on ValidationError { fieldErrors { path code message } } } }`);
    expect(r.data.salesSummary).toEqual({ __typename: "ValidationError", fieldErrors: [{ path: ["to"], code: "INVALID_RANGE", message: "must be after from (the range is [from, to): to is not included)" }] });
  });

  it("manages alert channels: the secret is write-only; bad input is a typed error", async () => {
    const add = await t.graphql(`mutation { createAlertChannel(input: { kind: WEBHOOK, target: "https://hooks.example.com/x", format: SLACK, secret: "0123456789abcdef0123" }) {
      __typename ... on CreateAlertChannelSuccess { channel { id kind target format hasSecret mode enabled } } } }`);
    const channel = add.data.createAlertChannel.channel;
    expect(channel).toMatchObject({ kind: "WEBHOOK", format: "SLACK", hasSecret: true, mode: "EACH", enabled: true });
    const upd = await t.graphql(`mutation($id: Int!) { updateAlertChannel(id: $id, input: { mode: DIGEST, digestTime: "07:45", enabled: false }) {
      ... on UpdateAlertChannelSuccess { channel { mode digestTime enabled hasSecret } } } }`, { id: channel.id });
    expect(upd.data.updateAlertChannel.channel).toEqual({ mode: "DIGEST", digestTime: "07:45", enabled: false, hasSecret: true });
    const bad = await t.graphql(`mutation { createAlertChannel(input: { kind: EMAIL, target: "nobody" }) { __typename ... on ValidationError { fieldErrors { path } } } }`);
    expect(bad.data.createAlertChannel).toEqual({ __typename: "ValidationError", fieldErrors: [{ path: ["target"] }] });
    const list = await t.graphql(`{ alertChannels { id } alertDeliveries(onlyProblems: true) { id } }`);
    expect(list.data.alertChannels).toEqual([{ id: channel.id }]);
    const del = await t.graphql(`mutation($id: Int!) { deleteAlertChannel(id: $id) { __typename } }`, { id: channel.id });
    expect(del.data.deleteAlertChannel.__typename).toBe("DeleteAlertChannelSuccess");
  });
});
