// Sign-in and the counter in a real browser: the owner signs in on /signin and
// adds a cashier with a PIN; the device becomes a POS terminal; the cashier
// unlocks it with the PIN, sells 1.5 kg (the invoice names them) and cannot
// reach catalogue editing (not offered, "not allowed", and the API refuses);
// locking never hands their cart or identity to the next person; sign-out ends
// the session for good.
import { print } from "graphql";
import { describe, expect, it } from "vitest";
import { TEST_PASSWORD, TEST_PIN } from "@storelite/api/testing/fixtures";
import { CreateStaffDocument, UpdateItemDocument } from "../src/gql/graphql.ts";
import { useWebApp } from "./harness.ts";
import { createItem } from "./ops.ts";

const app = useWebApp();

describe("sign-in, staff and the POS terminal", () => {
  it("owner signs in, adds a cashier; the terminal is unlocked by PIN; the cashier sells and cannot edit the catalogue", async () => {
    const itemId = await createItem(app, { name: "Loose Sugar", category: "Grocery", unit: "kg", unitPrice: "48.00", stockQty: "20" });
    const owner = app.api.owner.staff!;
    const page = await app.newPage({ width: 1280, height: 800 }, { as: null });

    // Not signed in: /admin leads to the sign-in page, and back after signing in.
    await page.goto(`${app.url}/admin`);
    await page.waitForURL(/\/signin\?next=%2Fadmin$/);
    expect(await page.locator("nav[aria-label=Main] a").count()).toBe(0);
    const form = page.getByRole("form", { name: "Sign in" });
    await form.getByLabel("Username").fill(owner.username);
    await form.getByLabel("Password").fill("not-the-password");
    await form.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").filter({ hasText: "Wrong username or password." }).waitFor();
    await page.screenshot({ path: "/tmp/storelite-signin-error.png" });
    await form.getByLabel("Password").fill(TEST_PASSWORD);
    await form.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${app.url}/admin`);
    await page.getByRole("heading", { name: "Inventory" }).waitFor();
    expect(await page.getByTestId("whoami").innerText()).toMatch(/^Test Owner\s+Owner$/i);

    // Staff: add a cashier with a password and a PIN.
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Staff" }).click();
    const add = page.getByRole("form", { name: "Add a person" });
    await add.getByLabel("Name", { exact: true }).fill("Asha Rao");
    await add.getByLabel("Username").fill("asha");
    await add.getByLabel("Role").selectOption("CASHIER");
    await add.getByLabel("Password").fill("asha-password-1");
    await add.getByLabel("PIN (optional)").fill("1357");
    await add.getByRole("button", { name: "Add person" }).click();
    await add.getByText("Added Asha Rao (Cashier).").waitFor();
    const ashaRow = page.getByRole("row").filter({ hasText: "Asha Rao" });
    await ashaRow.waitFor();
    expect(await ashaRow.getByRole("cell").nth(2).innerText()).toBe("Set");
    const [asha] = await app.sql<{ id: number; role: string }>("SELECT id, role FROM staff WHERE username = 'asha'");
    expect(asha!.role).toBe("CASHIER");

    // The last owner cannot deactivate themselves: the server's reason is shown.
    const ownerRow = page.getByRole("row").filter({ hasText: "(you)" });
    await ownerRow.getByRole("button", { name: "Deactivate Test Owner" }).click();
    await ownerRow.getByRole("alert").waitFor();
    expect(await ownerRow.getByRole("alert").innerText()).toMatch(/owner/i);
    expect((await app.sql<{ is_active: boolean }>("SELECT is_active FROM staff WHERE id = $1", [owner.id]))[0]!.is_active).toBe(true);
    await page.screenshot({ path: "/tmp/storelite-staff.png", fullPage: true });

    // A second cashier, to show the lockout message without locking Asha out.
    const ben = await app.api.graphql(print(CreateStaffDocument), { input: { displayName: "Ben Ito", username: "ben", role: "CASHIER", password: "ben-password-1", pin: "8642" } });
    expect(ben.data.createStaff.__typename).toBe("CreateStaffSuccess");

    // This device becomes the POS terminal (the owner's own session here ends).
    await page.goto(`${app.url}/pos`);
    await page.setViewportSize({ width: 820, height: 1180 }); // counter tablet
    await page.getByRole("combobox", { name: "Search or scan" }).waitFor();
    await page.screenshot({ path: "/tmp/storelite-pos-owner-tablet.png" });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByRole("button", { name: "Use this device as a POS terminal…" }).click();
    const reg = page.getByRole("form", { name: "Register this device as a POS terminal" });
    await reg.getByLabel("Terminal name").fill("Counter 1");
    await reg.getByRole("button", { name: "Register terminal" }).click();
    await page.getByRole("heading", { name: "Counter 1 is locked" }).waitFor();
    const people = page.getByRole("list", { name: "Staff" });
    await people.getByRole("button", { name: /Ben Ito/ }).waitFor();
    expect(await people.getByRole("button").allInnerTexts()).toEqual(expect.arrayContaining([expect.stringMatching(/Asha Rao\s+Cashier/), expect.stringMatching(/Ben Ito\s+Cashier/)]));
    await page.screenshot({ path: "/tmp/storelite-lock-screen.png" });
    const terminals = await app.sql<{ kind: string; terminal_name: string }>("SELECT kind, terminal_name FROM sessions WHERE revoked_at IS NULL AND kind = 'terminal'");
    expect(terminals).toEqual([{ kind: "terminal", terminal_name: "Counter 1" }]);

    // Ben: wrong PINs until the account locks; each try gets a clear message.
    await people.getByRole("button", { name: /Ben Ito/ }).click();
    const pinBox = page.getByLabel("PIN for Ben Ito");
    for (let i = 0; i < 5; i++) {
      await pinBox.fill("1111");
      await page.keyboard.press("Enter");
      await page.locator("#pin-message").waitFor();
      if (i < 4) expect(await page.locator("#pin-message").innerText()).toBe("Wrong PIN for Ben Ito. Try again.");
    }
    await pinBox.fill("8642"); // the right PIN, but the account is locked now
    await page.keyboard.press("Enter");
    await page.locator("#pin-message").filter({ hasText: /locked/ }).waitFor();
    expect(await page.locator("#pin-message").innerText()).toMatch(/try again in \d+ minute/);
    await page.screenshot({ path: "/tmp/storelite-pin-locked.png" });
    await page.keyboard.press("Escape");

    // Asha unlocks with the on-screen PIN pad (a wrong digit first, then deleted).
    await people.getByRole("button", { name: /Asha Rao/ }).click();
    const pad = page.getByRole("group", { name: "PIN pad" });
    for (const k of ["1", "3", "5", "9"]) await pad.getByRole("button", { name: k, exact: true }).click();
    await pad.getByRole("button", { name: "Delete last digit" }).click();
    await pad.getByRole("button", { name: "7", exact: true }).click();
    expect(await page.getByLabel("PIN for Asha Rao").inputValue()).toBe("1357");
    await page.screenshot({ path: "/tmp/storelite-pin-pad.png" });
    await page.getByRole("button", { name: "Unlock" }).click();
    await page.getByTestId("whoami").filter({ hasText: "Asha Rao" }).waitFor();
    expect(await page.getByTestId("whoami").innerText()).toMatch(/^Asha Rao\s+Cashier$/i);

    // A cashier is offered POS, Bills and the assistant only.
    expect(await page.getByRole("navigation", { name: "Main" }).getByRole("link").allInnerTexts()).toEqual(["POS", "Bills", "Assistant"]);
    expect(await page.getByRole("button", { name: /POS terminal/ }).count()).toBe(0);

    // Sell 1.5 kg: the invoice names the cashier, and so does the bill.
    const search = page.getByRole("combobox", { name: "Search or scan" });
    await search.fill("sugar");
    await page.getByRole("option", { name: /Loose Sugar/ }).waitFor();
    await page.keyboard.press("Enter");
    const qty = page.getByLabel("Quantity of Loose Sugar (kg)");
    await qty.fill("1.5");
    await page.keyboard.press("Enter");
    expect(await page.getByTestId("cart-total").textContent()).toBe("72.00");
    await page.getByRole("button", { name: "Pay (F2)" }).click();
    await page.getByTestId("pay-due").filter({ hasText: "72.00" }).waitFor();
    await page.getByRole("button", { name: "Complete sale" }).click();
    const invoice = page.getByRole("article", { name: /^Invoice \d+$/ });
    await invoice.waitFor();
    expect(await invoice.getByTestId("bill-cashier").textContent()).toBe("Asha Rao");
    const billNo = Number(await invoice.getByTestId("bill-number").textContent());
    expect(await app.sql("SELECT cashier_id, total_amount FROM bills WHERE id = $1", [billNo])).toEqual([{ cashier_id: asha!.id, total_amount: "72.00" }]);
    await page.screenshot({ path: "/tmp/storelite-terminal-invoice.png" });
    await page.getByRole("button", { name: "New Bill" }).click();
    // Her own bills are listed for her (VIEW_OWN_BILLS).
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Bills" }).click();
    await page.getByRole("link", { name: `#${billNo}` }).waitFor();

    // Catalogue editing: not offered, a clear page when typed in, and the API refuses anyway.
    await page.goto(`${app.url}/admin`);
    await page.getByRole("heading", { name: "Not allowed" }).waitFor();
    expect(await page.locator(".not-allowed").innerText()).toMatch(/as a Cashier you cannot use Inventory/);
    expect(await page.getByRole("form", { name: "Add item" }).count()).toBe(0);
    await page.screenshot({ path: "/tmp/storelite-not-allowed.png" });
    const refused = await page.evaluate(async ({ query, id }) => {
      const res = await fetch("/graphql", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query, variables: { id, input: { unitPrice: "1.00" } } }) });
      return (await res.json()) as { data: { updateItem: { __typename: string } } };
    }, { query: print(UpdateItemDocument), id: itemId });
    expect(refused.data.updateItem.__typename).toBe("NotAuthorizedError");
    expect(await app.sql("SELECT unit_price FROM items WHERE id = $1", [itemId])).toEqual([{ unit_price: "48.00" }]);

    // Asha starts a cart, then locks: neither her cart nor her identity survives for the next person.
    await page.goto(`${app.url}/pos`);
    await search.fill("sugar");
    await page.getByRole("option", { name: /Loose Sugar/ }).waitFor();
    await page.keyboard.press("Enter");
    await page.getByLabel("Quantity of Loose Sugar (kg)").waitFor();
    await page.getByRole("button", { name: "Lock" }).click();
    await page.getByRole("heading", { name: "Counter 1 is locked" }).waitFor();
    await page.reload();
    await page.getByRole("heading", { name: "Counter 1 is locked" }).waitFor();
    expect(await page.getByTestId("whoami").count()).toBe(0);
    const anonymousNow = await page.evaluate(async () => (await (await fetch("/graphql", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "{ me { staff { id } session { locked } } }" }) })).json()) as unknown);
    expect(anonymousNow).toEqual({ data: { me: { staff: null, session: { locked: true } } } });

    await people.getByRole("button", { name: /Test Owner/ }).click();
    await page.getByLabel("PIN for Test Owner").fill(TEST_PIN);
    await page.keyboard.press("Enter");
    await page.getByTestId("whoami").filter({ hasText: "Test Owner" }).waitFor();
    await page.getByText("Search or scan an item to start the bill.").waitFor();
    expect(await page.locator("table.cart").count()).toBe(0);
    // The owner on the terminal is offered everything again.
    expect(await page.getByRole("navigation", { name: "Main" }).getByRole("link").allInnerTexts()).toEqual(["POS", "Inventory", "Bills", "Reports", "Settings", "Assistant", "Staff", "API tokens"]);

    // On the terminal the owner works as themselves: change Ben's role and reset his PIN.
    await page.goto(`${app.url}/staff`);
    const benRow = page.getByRole("row").filter({ hasText: "Ben Ito" });
    await benRow.getByLabel("Role of Ben Ito").selectOption("MANAGER");
    await benRow.getByText("Ben Ito is now Manager.").waitFor();
    const [pinBefore] = await app.sql<{ pin_hash: string }>("SELECT pin_hash FROM staff WHERE username = 'ben'");
    await benRow.getByRole("button", { name: "Reset PIN of Ben Ito" }).click();
    await benRow.getByLabel("New PIN for Ben Ito", { exact: true }).fill("9753");
    await page.keyboard.press("Enter");
    await benRow.getByText("New PIN set for Ben Ito.").waitFor();
    const [benAfter] = await app.sql<{ role: string; pin_hash: string }>("SELECT role, pin_hash FROM staff WHERE username = 'ben'");
    expect(benAfter!.role).toBe("MANAGER");
    expect(benAfter!.pin_hash).not.toBe(pinBefore!.pin_hash);
    await page.goto(`${app.url}/pos`);

    // Auto-lock: after the server's idle time without a key or tap, the terminal locks itself.
    await page.clock.install();
    await page.reload();
    await page.getByTestId("whoami").filter({ hasText: "Test Owner" }).waitFor();
    await page.clock.fastForward("05:05");
    await page.getByRole("heading", { name: "Counter 1 is locked" }).waitFor();
    expect(await app.sql("SELECT active_staff_id FROM sessions WHERE kind = 'terminal' AND revoked_at IS NULL")).toEqual([{ active_staff_id: null }]);
  });

  it("sign-out ends the session: a reload shows the sign-in page", async () => {
    const page = await app.newPage(undefined, { as: "MANAGER" });
    const manager = (await app.api.as("MANAGER")).staff!;
    await page.goto(`${app.url}/bills`);
    expect(await page.getByTestId("whoami").innerText()).toMatch(new RegExp(`^${manager.displayName}\\s+Manager$`, "i"));
    // A manager is not offered staff or token management, and /staff says so.
    expect(await page.getByRole("navigation", { name: "Main" }).getByRole("link").allInnerTexts()).toEqual(["POS", "Inventory", "Bills", "Reports", "Assistant"]);
    await page.screenshot({ path: "/tmp/storelite-manager-bills.png" });
    const before = await app.sql<{ n: string }>("SELECT count(*) AS n FROM sessions WHERE staff_id = $1 AND revoked_at IS NULL AND kind = 'web'", [manager.id]);

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("form", { name: "Sign in" }).waitFor();
    await page.reload();
    await page.getByRole("form", { name: "Sign in" }).waitFor();
    await page.goto(`${app.url}/bills`);
    await page.waitForURL(/\/signin\?next=%2Fbills$/);
    const after = await app.sql<{ n: string }>("SELECT count(*) AS n FROM sessions WHERE staff_id = $1 AND revoked_at IS NULL AND kind = 'web'", [manager.id]);
    expect(Number(after[0]!.n)).toBe(Number(before[0]!.n) - 1);
    // The cookie is httpOnly: the page's scripts cannot read it.
    expect(await page.evaluate(() => document.cookie)).not.toMatch(/storelite_session/);
  });

  it("API tokens: scopes from your own permissions, the secret shown once and working, last use listed, revocation at once", async () => {
    const page = await app.newPage();
    await page.goto(`${app.url}/tokens`);
    const form = page.getByRole("form", { name: "New token" });
    await form.getByLabel("Name").fill("stock sync");
    await form.getByRole("button", { name: "Create token" }).click();
    await form.getByRole("alert").filter({ hasText: "Choose at least one scope." }).waitFor();
    // A person's own permission (changing their password) is never offered as a token scope.
    expect(await form.getByLabel("MANAGE_TOKENS").count()).toBe(1);
    expect(await form.getByLabel("CHANGE_OWN_PASSWORD").count()).toBe(0);
    await form.getByLabel("VIEW_CATALOG").check();
    await form.getByRole("button", { name: "Create token" }).click();
    const secret = await form.getByLabel("New token").inputValue();
    expect(secret).toMatch(/^slt_/);
    await page.screenshot({ path: "/tmp/storelite-tokens.png", fullPage: true });

    // The token works as a bearer credential, within its scope only.
    const call = (query: string) =>
      fetch(`${app.api.base}/graphql`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${secret}` }, body: JSON.stringify({ query }) }).then((r) => r.json() as Promise<{ data?: { me: { tokenName: string; permissions: string[] } }; errors?: unknown[] }>);
    const me = await call("{ me { tokenName permissions } }");
    expect(me.data?.me).toEqual({ tokenName: "stock sync", permissions: ["VIEW_CATALOG"] });

    // Shown once: a reload lists the token (with its last use) but never the secret again.
    await page.reload();
    const row = page.getByRole("row").filter({ hasText: "stock sync" });
    await row.waitFor();
    expect(await page.content()).not.toContain(secret);
    expect(await row.getByRole("cell").nth(3).innerText()).not.toBe("Never");

    await row.getByRole("button", { name: "Revoke stock sync" }).click();
    await row.getByRole("cell", { name: "Revoked" }).waitFor();
    const after = await call("{ me { tokenName permissions } }");
    expect(after.data?.me).toEqual({ tokenName: null, permissions: [] });
  });
});
