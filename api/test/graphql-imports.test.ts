// Catalogue import over GraphQL on the real server: preview (dry run) with its
// rows, typed failures, apply and undo.
import { describe, expect, it } from "vitest";
import { databaseChecksum } from "../src/testing/checksum.ts";
import { useTestServer } from "../src/testing/fixtures.ts";

const t = useTestServer();

const PREVIEW = `mutation($input: PreviewImportInput!) {
  previewImport(input: $input) {
    __typename
    ... on PreviewImportSuccess { job { id status delimiter columns { header field } counts { create update error warning }
      rows(first: 10) { hasMore rows { rowNo action label changes { field from to } errors { column value code message } warnings { code message } } } } }
    ... on ImportFileError { reason message }
    ... on ValidationError { fieldErrors { path message } }
  }
}`;

describe("GraphQL import", () => {
  it("previews a file, applies it and undoes it", async () => {
    await t.graphql(`mutation { createItem(input: { name: "Milk", unitPrice: "100", sku: "GQ-MILK", unit: "liter" }) { __typename } }`);
    const before = await databaseChecksum(t.db.pool);
    const preview = await t.graphql(PREVIEW, {
      input: { content: "Code\tProduct\tRate\nGQ-MILK\tMilk\t90\nGQ-EGG\tEggs\t0\n", mapping: [{ header: "Rate", field: "unit_price" }] },
    });
    const job = preview.data!.previewImport.job;
    expect(preview.data!.previewImport.__typename).toBe("PreviewImportSuccess");
    expect(job.delimiter).toBe("\t");
    expect(job.counts).toEqual({ create: 1, update: 1, error: 0, warning: 1 });
    expect(job.rows.rows).toEqual([
      { rowNo: 2, action: "UPDATE", label: "GQ-MILK", changes: [{ field: "unit_price", from: "100.00", to: "90.00" }], errors: [], warnings: [] },
      {
        rowNo: 3,
        action: "CREATE",
        label: "GQ-EGG",
        changes: [
          { field: "sku", from: null, to: "GQ-EGG" },
          { field: "name", from: null, to: "Eggs" },
          { field: "category", from: null, to: "Other" },
          { field: "unit", from: null, to: "piece" },
          { field: "unit_price", from: null, to: "0.00" },
          { field: "stock_qty", from: null, to: "0.000" },
          { field: "active", from: null, to: "true" },
        ],
        errors: [],
        warnings: [{ code: "PRICE_ZERO", message: "price is 0: the item would sell for nothing" }],
      },
    ]);
    expect(await databaseChecksum(t.db.pool)).toBe(before);

    const applied = await t.graphql(`mutation($id: Int!) { applyImport(id: $id) { __typename ... on ApplyImportSuccess { job { status rowsDone } } } }`, { id: job.id });
    expect(applied.data!.applyImport).toEqual({ __typename: "ApplyImportSuccess", job: { status: "applied", rowsDone: 2 } });
    const again = await t.graphql(`mutation($id: Int!) { applyImport(id: $id) { __typename ... on Error { message } } }`, { id: job.id });
    expect(again.data!.applyImport.__typename).toBe("ImportStateError");

    const undo = await t.graphql(`mutation($id: Int!) { undoImport(id: $id) { __typename ... on UndoImportSuccess { result { undone keptCount job { status } } } } }`, { id: job.id });
    expect(undo.data!.undoImport.result).toEqual({ undone: 2, keptCount: 0, job: { status: "undone" } });
    const milk = await t.graphql(`{ itemBySku(sku: "GQ-MILK") { unitPrice } egg: itemBySku(sku: "GQ-EGG") { id } }`);
    expect(milk.data).toEqual({ itemBySku: { unitPrice: "100.00" }, egg: null });
  });

  it("answers refusals as typed results", async () => {
    const refused = await t.graphql(PREVIEW, { input: { content: "\u0000\u0001binary" } });
    expect(refused.data!.previewImport).toMatchObject({ __typename: "ImportFileError", reason: "NOT_TEXT" });
    const bad = await t.graphql(PREVIEW, { input: { content: "sku,name\nA,B\n", mapping: [{ header: "sku", field: "colour" }] } });
    expect(bad.data!.previewImport.__typename).toBe("ValidationError");
    const missing = await t.graphql(`mutation { applyImport(id: 999999) { __typename } }`);
    expect(missing.data!.applyImport.__typename).toBe("NotFoundError");
  });
});
