import { describe, expect, it } from "vitest";
import { csvCell, toCsv } from "./csv.ts";

describe("CSV export", () => {
  it("neutralises formulas but keeps numbers, quotes every cell", () => {
    expect(csvCell("=HYPERLINK(\"http://x\")")).toBe(`"'=HYPERLINK(""http://x"")"`);
    for (const risky of ["+1+2", "-2+3", "@SUM(A1)", "\tx", "\rx"]) expect(csvCell(risky).startsWith(`"'`)).toBe(true);
    expect(csvCell("-12.50")).toBe('"-12.50"');
    expect(csvCell("160.00")).toBe('"160.00"');
    expect(csvCell(null)).toBe('""');
    expect(toCsv(["a", "b"], [["x,y", 3]])).toBe('"a","b"\r\n"x,y","3"\r\n');
  });
});
