// Signing in, sessions, POS terminals with PIN unlock, API tokens, first-run
// setup and the last owner, through the real GraphQL endpoint (cookies as a
// browser sends them) on a real database.
import { describe, expect, it } from "vitest";
import { createBill } from "../src/domain/bills.ts";
import { createItem } from "../src/domain/items.ts";
import { ACCOUNT_LOCK_AFTER, ADDRESS_LIMIT, createSetupToken, updateStaff } from "../src/domain/staff.ts";
import { LastOwnerError } from "../src/domain/errors.ts";
import { databaseChecksum } from "../src/testing/checksum.ts";
import { TEST_PASSWORD, TEST_PIN, signedInStaff, useTestServer } from "../src/testing/fixtures.ts";

const t = useTestServer();

/** A browser-like client: keeps the session cookie and sends the CSRF header. */
function browser(opts: { csrf?: boolean; address?: string } = {}) {
  let cookie = "";
  return {
    get cookie() {
      return cookie;
    },
    async gql<T = any>(query: string, variables?: Record<string, unknown>) {
      const res = await fetch(`${t.base}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(cookie ? { cookie } : {}), ...(opts.csrf === false ? {} : { "x-storelite-csrf": "1" }) },
        body: JSON.stringify({ query, variables }),
      });
      for (const c of res.headers.getSetCookie()) {
        const [pair, ...attrs] = c.split(";");
        cookie = attrs.some((a) => a.trim() === "Max-Age=0") ? "" : pair!.trim();
      }
      return { res, body: (await res.json()) as { data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] } };
    },
  };
}

const SIGN_IN = `mutation($u: String!, $p: String!) { signIn(username: $u, password: $p) {
  __typename ... on SignInSuccess { staff { username role } session { kind } } ... on Error { message } ... on TooManyAttemptsError { retryAfterSeconds } } }`;
const ME = "{ me { staff { username } session { kind locked terminalName } permissions reason } }";

describe("web sessions", () => {
  it("signs in with a password into an httpOnly SameSite cookie; sign-out and revocation take effect at once", async () => {
    const manager = await signedInStaff(t.db, "MANAGER");
    const b = browser();
    const signed = await b.gql(SIGN_IN, { u: manager.staff.username.toUpperCase(), p: TEST_PASSWORD });
    expect(signed.body.data.signIn).toMatchObject({ __typename: "SignInSuccess", staff: { username: manager.staff.username, role: "MANAGER" }, session: { kind: "WEB" } });
    const setCookie = signed.res.headers.getSetCookie()[0]!;
    expect(setCookie).toMatch(/^storelite_session=sls_/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect((await b.gql(ME)).body.data.me).toMatchObject({ staff: { username: manager.staff.username }, session: { kind: "WEB", locked: false } });

    // The cookie alone (no CSRF header, no same-origin Origin) cannot write.
    const noCsrf = await fetch(`${t.base}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie: b.cookie },
      body: JSON.stringify({ query: 'mutation { createItem(input: { name: "CSRF", unitPrice: "1" }) { __typename } }' }),
    });
    expect(((await noCsrf.json()) as any).errors[0].extensions.code).toBe("UNAUTHENTICATED");
    // From a foreign page the edge refuses the write before the cookie is even read.
    const foreign = await fetch(`${t.base}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie: b.cookie, origin: "http://evil.example" },
      body: JSON.stringify({ query: 'mutation { createItem(input: { name: "CSRF", unitPrice: "1" }) { __typename } }' }),
    });
    expect(foreign.status).toBe(403);

    // Sign-out ends it now, and the same cookie no longer counts.
    const cookie = b.cookie;
    expect((await b.gql("mutation { signOut }")).body.data.signOut).toBe(true);
    expect(b.cookie).toBe("");
    const replay = await fetch(`${t.base}/graphql`, { method: "POST", headers: { "content-type": "application/json", cookie, "x-storelite-csrf": "1" }, body: JSON.stringify({ query: "{ items { nodes { id } } }" }) });
    expect(((await replay.json()) as any).errors[0]).toMatchObject({ extensions: { code: "UNAUTHENTICATED" }, message: expect.stringMatching(/signed out or revoked/) });

    // Disabling a person ends their sessions at once.
    const again = browser();
    await again.gql(SIGN_IN, { u: manager.staff.username, p: TEST_PASSWORD });
    expect((await again.gql("{ items { nodes { id } } }")).body.errors).toBeUndefined();
    await updateStaff(t.ctx(t.owner.actor), manager.staff.id, { isActive: false });
    expect((await again.gql("{ items { nodes { id } } }")).body.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("an expired session (absolute or idle) stops working", async () => {
    const cashier = await signedInStaff(t.db, "CASHIER");
    const ask = () => t.anonymous.fetch("/graphql", { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${cashier.token}` }, body: JSON.stringify({ query: ME }) }).then((r) => r.json() as Promise<any>);
    expect((await ask()).data.me.staff).not.toBeNull();
    await t.db.pool.query("UPDATE sessions SET last_seen_at = now() - interval '13 hours' WHERE staff_id = $1", [cashier.staff.id]);
    const idle = await ask();
    expect(idle.data.me).toMatchObject({ staff: null, permissions: [], reason: expect.stringMatching(/expired/) });
  });

  it("wrong passwords lock the account after a few tries, with a clear 429-style error; a flood from one address gets TOO_MANY_ATTEMPTS", async () => {
    const victim = await signedInStaff(t.db, "CASHIER");
    const b = browser();
    for (let i = 1; i < ACCOUNT_LOCK_AFTER; i++) {
      expect((await b.gql(SIGN_IN, { u: victim.staff.username, p: "wrong-password" })).body.data.signIn.__typename).toBe("InvalidCredentialsError");
    }
    const locked = (await b.gql(SIGN_IN, { u: victim.staff.username, p: "wrong-password" })).body.data.signIn;
    expect(locked).toMatchObject({ __typename: "TooManyAttemptsError", message: expect.stringMatching(/locked after 5 wrong attempts/) });
    expect(locked.retryAfterSeconds).toBeGreaterThan(0);
    // Even the right password waits until the lock ends.
    expect((await b.gql(SIGN_IN, { u: victim.staff.username, p: TEST_PASSWORD })).body.data.signIn.__typename).toBe("TooManyAttemptsError");

    // Many usernames from one address: the address is throttled (the REST /auth/sign-in answers 429 then).
    for (let i = 0; i < ADDRESS_LIMIT; i++) await b.gql(SIGN_IN, { u: `ghost-${i}`, p: "wrong-password" });
    const flood = (await b.gql(SIGN_IN, { u: t.owner.staff!.username, p: TEST_PASSWORD })).body.data.signIn;
    expect(flood).toMatchObject({ __typename: "TooManyAttemptsError", message: expect.stringMatching(/from this address/) });
    const rest = await fetch(`${t.base}/auth/sign-in`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "x", password: "y" }) });
    expect(rest.status).toBe(429);
    expect(Number(rest.headers.get("retry-after"))).toBeGreaterThan(0);
    await t.db.pool.query("DELETE FROM sign_in_attempts"); // let the rest of the file sign in
  });
});

describe("POS terminal", () => {
  it("a manager registers the device; cashiers unlock it with a PIN, sell as themselves, and it locks; wrong PINs lock the cashier out", async () => {
    const manager = await signedInStaff(t.db, "MANAGER", "Maya Manager");
    const cashier = await signedInStaff(t.db, "CASHIER", "Sana Cashier");
    const item = await createItem(t.ctx(), { name: "Terminal Rice", unit: "kg", unitPrice: "100.00", stockQty: "10" });
    const device = browser();
    await device.gql(SIGN_IN, { u: manager.staff.username, p: TEST_PASSWORD });
    const registered = await device.gql('mutation { registerTerminal(name: "Counter 1") { __typename ... on TerminalSuccess { session { kind locked terminalName } } } }');
    expect(registered.body.data.registerTerminal).toEqual({ __typename: "TerminalSuccess", session: { kind: "TERMINAL", locked: true, terminalName: "Counter 1" } });

    // Locked: nobody's rights; the lock screen can list who may unlock.
    expect((await device.gql(ME)).body.data.me).toMatchObject({ staff: null, session: { locked: true }, reason: expect.stringMatching(/locked/) });
    const names = (await device.gql("{ terminalStaff { username displayName } }")).body.data.terminalStaff.map((s: { username: string }) => s.username);
    expect(names).toContain(cashier.staff.username);
    const sell = 'mutation($id: Int!) { createBill(input: { lines: [{ itemId: $id, quantity: "1.5" }] }) { __typename ... on CreateBillSuccess { bill { id cashierName } } ... on NotAuthorizedError { permission } } }';
    expect((await device.gql(sell, { id: item.id })).body.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");

    // A PIN means nothing off a terminal.
    const web = browser();
    await web.gql(SIGN_IN, { u: cashier.staff.username, p: TEST_PASSWORD });
    const offTerminal = await web.gql('mutation($u: String!) { unlockTerminal(username: $u, pin: "2468") { __typename } }', { u: cashier.staff.username });
    expect(offTerminal.body.data.unlockTerminal.__typename).toBe("ValidationError");

    const unlock = 'mutation($u: String!, $pin: String!) { unlockTerminal(username: $u, pin: $pin) { __typename ... on UnlockTerminalSuccess { staff { displayName } session { locked } } ... on Error { message } } }';
    expect((await device.gql(unlock, { u: cashier.staff.username, pin: TEST_PIN })).body.data.unlockTerminal).toMatchObject({ staff: { displayName: "Sana Cashier" }, session: { locked: false } });
    const sold = (await device.gql(sell, { id: item.id })).body.data.createBill;
    expect(sold).toMatchObject({ __typename: "CreateBillSuccess", bill: { cashierName: "Sana Cashier" } });
    // The cashier cannot edit the catalogue from the counter.
    const price = await device.gql('mutation($id: Int!) { updateItem(id: $id, input: { unitPrice: "1" }) { __typename ... on NotAuthorizedError { permission } } }', { id: item.id });
    expect(price.body.data.updateItem).toEqual({ __typename: "NotAuthorizedError", permission: "EDIT_CATALOG" });

    expect((await device.gql("mutation { lockTerminal { __typename ... on TerminalSuccess { session { locked } } } }")).body.data.lockTerminal.session.locked).toBe(true);
    expect((await device.gql(sell, { id: item.id })).body.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");

    // Auto-lock: an unlock that ran out counts for nothing.
    await device.gql(unlock, { u: cashier.staff.username, pin: TEST_PIN });
    await t.db.pool.query("UPDATE sessions SET unlocked_until = now() - interval '1 second' WHERE kind = 'terminal'");
    expect((await device.gql(ME)).body.data.me.session.locked).toBe(true);

    // Wrong PINs: locked out after a few, then even the right PIN waits.
    for (let i = 1; i < ACCOUNT_LOCK_AFTER; i++) {
      expect((await device.gql(unlock, { u: cashier.staff.username, pin: "0000" })).body.data.unlockTerminal.__typename).toBe("InvalidCredentialsError");
    }
    expect((await device.gql(unlock, { u: cashier.staff.username, pin: "0000" })).body.data.unlockTerminal.__typename).toBe("TooManyAttemptsError");
    expect((await device.gql(unlock, { u: cashier.staff.username, pin: TEST_PIN })).body.data.unlockTerminal.__typename).toBe("TooManyAttemptsError");
  });
});

describe("bills by cashier", () => {
  it("a cashier sees only the bills they made today; a manager sees all", async () => {
    const item = await createItem(t.ctx(), { name: "Own Bills Tea", unitPrice: "5.00", stockQty: "100" });
    const a = await signedInStaff(t.db, "CASHIER", "Ana");
    const b = await signedInStaff(t.db, "CASHIER", "Bo");
    const mine = (await createBill(t.ctx(a.actor), { lines: [{ itemId: item.id, quantity: "1" }] })).bill;
    const theirs = (await createBill(t.ctx(b.actor), { lines: [{ itemId: item.id, quantity: "1" }] })).bill;
    const old = (await createBill(t.ctx(a.actor), { lines: [{ itemId: item.id, quantity: "1" }] })).bill;
    await t.db.pool.query("UPDATE bills SET created_at = now() - interval '2 days' WHERE id = $1", [old.id]);
    const q = (token: string, query: string) =>
      t.anonymous.fetch("/graphql", { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify({ query }) }).then((r) => r.json() as Promise<any>);
    const listed = (await q(a.token, "{ bills(first: 200) { nodes { id cashierId } } }")).data.bills.nodes;
    expect(listed.map((x: { id: number }) => x.id)).toEqual([mine.id]);
    const other = await q(a.token, `{ bill(id: ${theirs.id}) { id } }`);
    expect(other.errors[0].extensions).toMatchObject({ code: "NOT_AUTHORIZED", permission: "VIEW_ALL_BILLS" });
    const manager = await t.as("MANAGER");
    const all = (await manager.graphql("{ bills(first: 200) { nodes { id } } }")).data.bills.nodes.map((x: { id: number }) => x.id);
    expect(all).toEqual(expect.arrayContaining([mine.id, theirs.id, old.id]));
  });
});

describe("your own password and PIN", () => {
  const CHANGE = `mutation($input: ChangeMyPasswordInput!) { changeMyPassword(input: $input) { __typename ... on ChangeMyPasswordSuccess { staff { username hasPin } }
    ... on ValidationError { fieldErrors { path message code } } ... on NotAuthorizedError { permission } ... on TooManyAttemptsError { retryAfterSeconds } } }`;

  it("a cashier changes their password with the current one: other browsers are signed out, this one stays; the new PIN unlocks", async () => {
    const cashier = await signedInStaff(t.db, "CASHIER");
    const here = browser();
    const elsewhere = browser();
    await here.gql(SIGN_IN, { u: cashier.staff.username, p: TEST_PASSWORD });
    await elsewhere.gql(SIGN_IN, { u: cashier.staff.username, p: TEST_PASSWORD });

    const before = await databaseChecksum(t.db.pool);
    const bad = (await here.gql(CHANGE, { input: { currentPassword: TEST_PASSWORD, newPassword: "short", newPin: "12" } })).body.data.changeMyPassword;
    expect(bad.fieldErrors.map((e: { path: string[]; code: string }) => `${e.path.join(".")} ${e.code}`)).toEqual(["newPassword TOO_SHORT", "newPin INVALID_PIN"]);
    expect((await here.gql(CHANGE, { input: { currentPassword: TEST_PASSWORD } })).body.data.changeMyPassword.fieldErrors[0].code).toBe("NOTHING_TO_CHANGE");
    expect(await databaseChecksum(t.db.pool)).toBe(before);
    const wrong = (await here.gql(CHANGE, { input: { currentPassword: "not-my-password", newPassword: "a-new-long-password" } })).body.data.changeMyPassword;
    expect(wrong.fieldErrors).toEqual([{ path: ["currentPassword"], message: "is not your current password", code: "WRONG_PASSWORD" }]);

    const done = (await here.gql(CHANGE, { input: { currentPassword: TEST_PASSWORD, newPassword: "a-new-long-password", newPin: "8642" } })).body.data.changeMyPassword;
    expect(done).toEqual({ __typename: "ChangeMyPasswordSuccess", staff: { username: cashier.staff.username, hasPin: true } });
    expect((await here.gql(ME)).body.data.me.staff).toEqual({ username: cashier.staff.username });
    expect((await elsewhere.gql(ME)).body.data.me.staff).toBeNull();
    expect((await browser().gql(SIGN_IN, { u: cashier.staff.username, p: TEST_PASSWORD })).body.data.signIn.__typename).toBe("InvalidCredentialsError");
    expect((await browser().gql(SIGN_IN, { u: cashier.staff.username, p: "a-new-long-password" })).body.data.signIn.__typename).toBe("SignInSuccess");
    const { rows } = await t.db.pool.query<{ ok: boolean }>("SELECT failed_attempts = 0 AS ok FROM staff WHERE id = $1", [cashier.staff.id]);
    expect(rows[0]!.ok).toBe(true);

    // The PIN alone, then removed; an API token can never do this, whatever its creator may.
    expect((await here.gql(CHANGE, { input: { currentPassword: "a-new-long-password", newPin: null } })).body.data.changeMyPassword.staff.hasPin).toBe(false);
    const create = 'mutation($s: [Permission!]!) { createApiToken(input: { name: "pw", scopes: $s }) { __typename ... on ValidationError { fieldErrors { path code } } } }';
    expect((await t.graphql(create, { s: ["CHANGE_OWN_PASSWORD"] })).data.createApiToken.fieldErrors).toEqual([{ path: ["scopes", "0"], code: "NOT_FOR_TOKENS" }]);
  });

  it("guessing the current password through this door locks the account like sign-in does", async () => {
    const manager = await signedInStaff(t.db, "MANAGER");
    const b = browser();
    await b.gql(SIGN_IN, { u: manager.staff.username, p: TEST_PASSWORD });
    const tries = [];
    for (let i = 0; i < ACCOUNT_LOCK_AFTER; i++) tries.push((await b.gql(CHANGE, { input: { currentPassword: `guess-${i}-long`, newPin: "1111" } })).body.data.changeMyPassword.__typename);
    expect(tries.slice(0, -1).every((x) => x === "ValidationError")).toBe(true);
    expect(tries.at(-1)).toBe("TooManyAttemptsError");
    // Locked: even the right password is refused until the lock ends.
    expect((await b.gql(CHANGE, { input: { currentPassword: TEST_PASSWORD, newPin: "1111" } })).body.data.changeMyPassword.__typename).toBe("TooManyAttemptsError");
  });
});

describe("API tokens", () => {
  it("are shown once, stored hashed, limited to the creator's permissions, and stop at once when revoked", async () => {
    const create = 'mutation($s: [Permission!]!) { createApiToken(input: { name: "till", scopes: $s }) { __typename ... on CreateApiTokenSuccess { secret token { id prefix scopes } } ... on ValidationError { fieldErrors { path code } } } }';
    const made = (await t.graphql(create, { s: ["VIEW_CATALOG", "SELL"] })).data.createApiToken;
    expect(made.secret).toMatch(/^slt_/);
    expect(made.secret.startsWith(made.token.prefix)).toBe(true);
    const { rows } = await t.db.pool.query("SELECT token_hash FROM api_tokens WHERE id = $1", [made.token.id]);
    expect(rows[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify((await t.graphql("{ apiTokens { id prefix name } }")).data)).not.toContain(made.secret);

    const use = () => t.anonymous.fetch("/items", { headers: { authorization: `Bearer ${made.secret}` } });
    expect((await use()).status).toBe(200);
    expect((await t.anonymous.fetch("/items", { method: "POST", headers: { authorization: `Bearer ${made.secret}`, "content-type": "application/json" }, body: '{"name":"x","unit_price":"1"}' })).status).toBe(403);
    expect((await t.graphql(`mutation { revokeApiToken(id: ${made.token.id}) { __typename } }`)).data.revokeApiToken.__typename).toBe("RevokeApiTokenSuccess");
    const after = await use();
    expect(after.status).toBe(401);
    expect(((await after.json()) as any).error.message).toMatch(/revoked/);
  });
});

describe("first run and owners", () => {
  it("the setup token works once, only with that token, and only while there is no staff", async () => {
    // This server's database already has staff; a fresh token is refused outright.
    expect(await createSetupToken(t.db)).toBeNull();
    await t.db.pool.query("INSERT INTO setup_tokens (token_hash) VALUES ('0000000000000000000000000000000000000000000000000000000000000000')");
    const setup = 'mutation($t: String!) { setupOwner(token: $t, displayName: "Mallory", username: "mallory", password: "taking-the-shop") { __typename ... on Error { message } } }';
    expect((await browser().gql(setup, { t: "slsetup_guess" })).body.data.setupOwner.__typename).toBe("SetupUnavailableError");
    const page = await fetch(`${t.base}/setup?token=x`);
    expect(page.status).toBe(410);
  });

  it("the last active owner cannot be demoted or disabled", async () => {
    const { rows } = await t.db.pool.query<{ id: number }>("SELECT id FROM staff WHERE role = 'OWNER' AND is_active ORDER BY id");
    // Demote every owner but the first, then the first must stay.
    for (const r of rows.slice(1)) await updateStaff(t.ctx(), r.id, { role: "MANAGER" });
    const before = await databaseChecksum(t.db.pool);
    await expect(updateStaff(t.ctx(), rows[0]!.id, { role: "CASHIER" })).rejects.toBeInstanceOf(LastOwnerError);
    await expect(updateStaff(t.ctx(), rows[0]!.id, { isActive: false })).rejects.toBeInstanceOf(LastOwnerError);
    const gql = await t.graphql(`mutation { updateStaff(id: ${rows[0]!.id}, input: { role: MANAGER }) { __typename ... on Error { message } } }`);
    expect(gql.data.updateStaff).toMatchObject({ __typename: "LastOwnerError", message: expect.stringMatching(/last active owner/) });
    expect(await databaseChecksum(t.db.pool)).toBe(before);
    // Two concurrent demotions of two owners: at most one succeeds.
    const second = await signedInStaff(t.db, "OWNER");
    const results = await Promise.allSettled([updateStaff(t.ctx(), rows[0]!.id, { role: "MANAGER" }), updateStaff(t.ctx(), second.staff.id, { role: "MANAGER" })]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const { rows: left } = await t.db.pool.query("SELECT count(*)::int AS n FROM staff WHERE role = 'OWNER' AND is_active");
    expect(left[0].n).toBe(1);
  });
});
