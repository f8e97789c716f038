// `storelite service`: the systemd unit it writes passes systemd's own checker,
// and the compiled console prints it (with the settings file, secrets masked).
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { envFileText, parseEnvFile, serviceEnvironment, systemdUnit } from "../src/runtime/service.ts";
import { rootDir } from "../src/testing/process.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "storelite-service-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const analyze = spawnSync("systemd-analyze", ["--version"]).status === 0;
const BIN = path.join(rootDir, "api", "bin", "storelite.mjs");

describe("the systemd unit", () => {
  // Debian's systemd package has systemd-analyze; it needs no running systemd.
  it.skipIf(!analyze)("passes systemd-analyze verify, as a system and as a user unit (skipped where systemd-analyze is not installed)", () => {
    for (const scope of ["system", "user"] as const) {
      const unitFile = path.join(dir, scope, "storelite.service");
      fs.mkdirSync(path.dirname(unitFile), { recursive: true });
      fs.writeFileSync(unitFile, systemdUnit({ scope, rootDir, node: process.execPath, envFile: path.join(dir, "storelite.env"), user: os.userInfo().username }));
      // A user manager wants a runtime directory; a private one will do for the check.
      const runtime = fs.mkdtempSync(path.join(dir, "xdg-"));
      const res = spawnSync("systemd-analyze", ["verify", ...(scope === "user" ? ["--user"] : []), unitFile], { encoding: "utf8", env: { ...process.env, XDG_RUNTIME_DIR: runtime } });
      expect(`${res.stdout}${res.stderr}`.trim()).toBe("");
      expect(res.status).toBe(0);
    }
  });

  it.skipIf(!analyze)("is checked for real: a unit whose program does not exist fails the same check", () => {
    const unitFile = path.join(dir, "broken", "storelite.service");
    fs.mkdirSync(path.dirname(unitFile), { recursive: true });
    fs.writeFileSync(unitFile, systemdUnit({ scope: "system", rootDir, node: "/nonexistent/node", envFile: "/etc/storelite/storelite.env" }));
    const res = spawnSync("systemd-analyze", ["verify", unitFile], { encoding: "utf8" });
    expect(res.status).not.toBe(0);
    expect(res.stderr).toContain("/nonexistent/node");
  });

  it("runs the supervisor from this checkout with the node running now, restarted on failure, logging to journald", () => {
    const unit = systemdUnit({ scope: "system", rootDir: "/srv/shop app", node: "/usr/bin/node", envFile: "/etc/storelite/storelite.env", user: "shop" });
    expect(unit).toContain('ExecStart=/usr/bin/node --enable-source-maps "/srv/shop app/scripts/start.mjs"');
    expect(unit).toContain("WorkingDirectory=/srv/shop app");
    expect(unit).toContain("User=shop");
    expect(unit).toContain("Restart=on-failure");
    expect(unit).toContain("KillMode=mixed");
    expect(unit).toContain("StandardOutput=journal");
    expect(unit).toContain("WantedBy=multi-user.target");
    const user = systemdUnit({ scope: "user", rootDir: "/home/a/storelite", node: "/usr/bin/node", envFile: "/home/a/.config/storelite/storelite.env", user: "a" });
    expect(user).not.toContain("User=");
    expect(user).toContain("WantedBy=default.target");
  });

  it("keeps StoreLite's settings from the environment in a file systemd reads back the same", () => {
    const vars = serviceEnvironment({ PORT: "8080", STORELITE_DATA_DIR: "/var/lib/shop", DATABASE_URL: 'postgresql://u:p"w\\d@h/db', HOME: "/root", PATH: "/bin", STORELITE_DEV: "1" });
    expect(vars).toEqual({ PORT: "8080", STORELITE_DATA_DIR: "/var/lib/shop", DATABASE_URL: 'postgresql://u:p"w\\d@h/db' });
    expect(parseEnvFile(envFileText(vars))).toEqual(vars);
  });
});

describe("storelite service (the compiled console)", () => {
  it("install --print shows the unit and the settings with secrets masked, and changes nothing", () => {
    const out = execFileSync(process.execPath, [BIN, "service", "install", "--system", "--as", "nobody", "--print"], {
      encoding: "utf8",
      env: { ...process.env, PORT: "4123", DATABASE_URL: "postgresql://shop:secret@127.0.0.1/shop", GEMINI_API_KEY: "abc" },
    });
    expect(out).toContain("# /etc/systemd/system/storelite.service");
    expect(out).toContain(`ExecStart=${process.execPath} --enable-source-maps ${path.join(rootDir, "scripts", "start.mjs")}`);
    expect(out).toContain("User=nobody");
    expect(out).toContain('PORT="4123"');
    expect(out).toContain('DATABASE_URL="postgresql://shop:***@127.0.0.1/shop"');
    expect(out).toContain('GEMINI_API_KEY="***"');
    expect(out).not.toContain("secret");
  });

  it("refuses what it cannot do with a clear message and a usage exit code", () => {
    const both = spawnSync(process.execPath, [BIN, "service", "install", "--user", "--system"], { encoding: "utf8" });
    expect(both.status).toBe(2);
    expect(both.stderr).toContain("--user and --system cannot be combined");
    const unknown = spawnSync(process.execPath, [BIN, "service", "restart"], { encoding: "utf8" });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown command "service restart"');
  });

  it.runIf(!fs.existsSync("/run/systemd/system"))("says so when systemd is not running, and writes nothing", () => {
    const res = spawnSync(process.execPath, [BIN, "service", "install", "--user"], { encoding: "utf8", env: { ...process.env, HOME: dir } });
    expect(res.status).toBe(3);
    expect(res.stderr).toContain("systemd is not running on this machine");
    expect(fs.existsSync(path.join(dir, ".config"))).toBe(false);
  });
});
