// The edge's rules on their own: which Host names and Origins pass, and what a
// server listening on every address (HOST=0.0.0.0) answers to. The servers'
// tests (api/test/edge.test.ts, web/test/edge.test.ts, mcp/test/http.test.ts)
// check the same rules over real HTTP.
import os from "node:os";
import { describe, expect, it } from "vitest";
import { loadEdgeEnv, loadEnv } from "../env.ts";
import { EdgePolicy, lanAddresses, normalizeHostName, normalizeOrigin } from "./edge.ts";

const post = (host: string, origin?: string) => ({ method: "POST", host, origin });

describe("settings", () => {
  it("normalises host names and addresses, and refuses anything else", () => {
    expect(normalizeHostName("Shop.Local")).toBe("shop.local");
    expect(normalizeHostName("192.168.1.20")).toBe("192.168.1.20");
    expect(normalizeHostName("fe80::1")).toBe("[fe80::1]");
    expect(normalizeHostName("[FD00::2]")).toBe("[fd00::2]");
    for (const bad of ["", "*", "*.shop.local", "http://shop.local", "shop.local:3000", "shop.local/x", "a b", "user@shop"]) expect(normalizeHostName(bad)).toBeUndefined();
  });

  it("normalises origins, and refuses wildcards, paths and other schemes", () => {
    expect(normalizeOrigin("http://Shop.local:3000/")).toBe("http://shop.local:3000");
    expect(normalizeOrigin("https://shop.local:443")).toBe("https://shop.local");
    for (const bad of ["*", "null", "shop.local", "ftp://shop.local", "http://shop.local/app", "http://*.shop.local", "http://a@shop.local"]) expect(normalizeOrigin(bad)).toBeUndefined();
  });

  it("STORELITE_ALLOWED_HOSTS / _ORIGINS are checked at start-up; the old wildcard setting is refused", () => {
    expect(loadEdgeEnv({ STORELITE_ALLOWED_HOSTS: " shop.local, 192.168.1.20 ,", STORELITE_ALLOWED_ORIGINS: "http://192.168.1.20:3000/" })).toEqual({
      STORELITE_ALLOWED_HOSTS: ["shop.local", "192.168.1.20"],
      STORELITE_ALLOWED_ORIGINS: ["http://192.168.1.20:3000"],
    });
    expect(() => loadEnv({ STORELITE_ALLOWED_HOSTS: "shop.local:3000" })).toThrow(/STORELITE_ALLOWED_HOSTS: "shop.local:3000" is not a host name or address/);
    expect(() => loadEnv({ STORELITE_ALLOWED_ORIGINS: "*" })).toThrow(/STORELITE_ALLOWED_ORIGINS: "\*" is not an origin/);
    expect(() => loadEnv({ STORELITE_CORS_ORIGIN: "*" })).toThrow(/STORELITE_CORS_ORIGIN: was replaced by STORELITE_ALLOWED_ORIGINS/);
  });

  it("a bad setting stops the server with a message naming it", () => {
    expect(() => new EdgePolicy({ allowedHosts: ["http://shop.local"] })).toThrow(/Not a host name or address: "http:\/\/shop.local"/);
    expect(() => new EdgePolicy({ allowedOrigins: ["*"] })).toThrow(/Not an origin: "\*"/);
  });
});

describe("Host", () => {
  it("loopback names on any port by default; nothing else", () => {
    const edge = new EdgePolicy();
    for (const host of ["localhost", "localhost:3000", "127.0.0.1:4000", "[::1]:4000", "LocalHost:1"]) expect(edge.check(post(host)).ok).toBe(true);
    for (const host of [undefined, "", "evil.example", "localhost.evil.example", "127.0.0.2", "0.0.0.0", os.hostname()]) expect(edge.check(post(host as string)).ok).toBe(false);
  });

  it("HOST=0.0.0.0: this machine's own addresses and host name too (what a tablet on the Wi-Fi types)", () => {
    const everywhere = new EdgePolicy({ listenHost: "0.0.0.0" });
    const local = new EdgePolicy({ listenHost: "127.0.0.1" });
    const names = [...lanAddresses(), os.hostname().toLowerCase()];
    for (const name of names) {
      expect({ name, ok: everywhere.check(post(`${name}:3000`)).ok }).toEqual({ name, ok: true });
      expect({ name, ok: local.check(post(`${name}:3000`)).ok }).toEqual({ name, ok: false });
    }
    expect(everywhere.check(post("evil.example:3000")).ok).toBe(false);
    // A specific address to listen on is one of the server's names.
    expect(new EdgePolicy({ listenHost: "192.0.2.77" }).check(post("192.0.2.77:4000")).ok).toBe(true);
  });
});

describe("Origin", () => {
  const edge = new EdgePolicy({ allowedHosts: ["shop.local"], allowedOrigins: ["http://tablet.local:3000"] });

  it("writes: same origin and allowed origins pass, any other Origin (or a cross-site fetch) is refused", () => {
    expect(edge.check(post("shop.local:3000", "http://shop.local:3000"))).toEqual({ ok: true });
    expect(edge.check(post("shop.local:3000"))).toEqual({ ok: true }); // no Origin: curl, scripts, the web forwarder
    expect(edge.check(post("shop.local:3000", "http://tablet.local:3000"))).toMatchObject({ ok: true, cors: { "access-control-allow-origin": "http://tablet.local:3000" } });
    for (const origin of ["https://evil.example", "null", "http://shop.local:3001", "http://tablet.local:3001"]) {
      expect(edge.check(post("shop.local:3000", origin))).toMatchObject({ ok: false, status: 403, code: "ORIGIN_NOT_ALLOWED" });
    }
    for (const method of ["PUT", "PATCH", "DELETE"]) expect(edge.check({ method, host: "shop.local", origin: "https://evil.example" }).ok).toBe(false);
    expect(edge.check({ method: "POST", host: "shop.local", origin: undefined, secFetchSite: "cross-site" }).ok).toBe(false);
    expect(edge.check({ method: "POST", host: "shop.local", origin: undefined, secFetchSite: "same-origin" }).ok).toBe(true);
  });

  it("reads from a foreign origin pass without CORS headers; preflights only for allowed origins", () => {
    expect(edge.check({ method: "GET", host: "shop.local", origin: "https://evil.example" })).toEqual({ ok: true });
    expect(edge.check({ method: "OPTIONS", host: "shop.local", origin: "https://evil.example", preflightMethod: "POST" }).ok).toBe(false);
    expect(edge.check({ method: "OPTIONS", host: "shop.local", origin: "http://tablet.local:3000", preflightMethod: "POST" })).toMatchObject({
      ok: true,
      preflight: true,
      cors: { "access-control-allow-origin": "http://tablet.local:3000", "access-control-allow-methods": expect.stringContaining("POST") },
    });
  });

  it("loopback origins on any port only where asked for (the MCP server's local tools)", () => {
    expect(new EdgePolicy().check(post("127.0.0.1:4100", "http://localhost:6274")).ok).toBe(false);
    expect(new EdgePolicy({ allowLoopbackOrigins: true }).check(post("127.0.0.1:4100", "http://localhost:6274")).ok).toBe(true);
  });
});
