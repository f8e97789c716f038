import { describe, expect, it } from "vitest";
import { safeNext } from "./session.tsx";

describe("safeNext (where /signin goes afterwards)", () => {
  it("keeps a path inside the app, with its query", () => {
    expect(safeNext("/admin")).toBe("/admin");
    expect(safeNext("/bills/12?print=1")).toBe("/bills/12?print=1");
  });

  it("never leaves the app (open redirects) and never loops back to sign-in or setup", () => {
    for (const bad of [null, undefined, "", "https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", "admin", "/signin?next=/admin", "/setup?token=x"]) {
      expect(safeNext(bad)).toBe("/");
    }
  });
});
