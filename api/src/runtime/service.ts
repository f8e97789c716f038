// StoreLite as a systemd service (`storelite service install|uninstall|status`):
// the unit file — node running scripts/start.mjs from this checkout, as the
// right user, restarted on failure, logging to journald — and the settings
// file beside it that holds the environment it runs with.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export const SERVICE_NAME = "storelite";

export type Scope = "system" | "user";

export interface ServicePaths {
  unitFile: string;
  /** The environment the service runs with (KEY=value lines; may hold DATABASE_URL's password, so 0600). */
  envFile: string;
}

export function servicePaths(scope: Scope, home = os.homedir()): ServicePaths {
  return scope === "system"
    ? { unitFile: `/etc/systemd/system/${SERVICE_NAME}.service`, envFile: `/etc/${SERVICE_NAME}/${SERVICE_NAME}.env` }
    : { unitFile: path.join(home, ".config", "systemd", "user", `${SERVICE_NAME}.service`), envFile: path.join(home, ".config", SERVICE_NAME, `${SERVICE_NAME}.env`) };
}

export interface UnitOptions {
  scope: Scope;
  /** The checkout (where scripts/start.mjs is). */
  rootDir: string;
  /** The node binary to run (the one running now, by default). */
  node: string;
  envFile: string;
  /** System units only: who runs StoreLite (it must be able to write the checkout's .data/ and invoices/). */
  user?: string;
}

/** systemd's quoting for one word of ExecStart=: plain when safe, else double-quoted with escapes. */
function execWord(word: string): string {
  if (/^[\w/.:@+-]+$/.test(word)) return word;
  return `"${word.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/%/g, "%%").replace(/\$/g, "$$$$")}"`;
}

/** The unit file's text. */
export function systemdUnit(opts: UnitOptions): string {
  const lines = [
    "# StoreLite: inventory and billing. Written by `storelite service install`;",
    "# settings are in the EnvironmentFile below (edit it, then `systemctl restart storelite`).",
    "[Unit]",
    "Description=StoreLite inventory and billing",
    "Documentation=file://" + path.join(opts.rootDir, "README.md").replace(/ /g, "%20"),
    "After=network.target",
    // systemd's own crash-loop guard on top of the supervisor's: 5 failed starts in 5 minutes and it stops trying.
    "StartLimitIntervalSec=300",
    "StartLimitBurst=5",
    "",
    "[Service]",
    "Type=simple",
    ...(opts.scope === "system" && opts.user ? [`User=${opts.user}`] : []),
    `WorkingDirectory=${opts.rootDir}`,
    `EnvironmentFile=-${opts.envFile}`,
    `ExecStart=${[opts.node, "--enable-source-maps", path.join(opts.rootDir, "scripts", "start.mjs")].map(execWord).join(" ")}`,
    // The supervisor restarts the API and the web app itself; systemd restarts the supervisor.
    "Restart=on-failure",
    "RestartSec=5",
    // SIGTERM to the supervisor only: it stops the web app, then the API, which shuts PostgreSQL down cleanly.
    "KillMode=mixed",
    "KillSignal=SIGTERM",
    "TimeoutStopSec=90",
    "StandardOutput=journal",
    "StandardError=journal",
    `SyslogIdentifier=${SERVICE_NAME}`,
    "NoNewPrivileges=true",
    "",
    "[Install]",
    `WantedBy=${opts.scope === "system" ? "multi-user.target" : "default.target"}`,
    "",
  ];
  return lines.join("\n");
}

/** The settings a service needs from the environment it is installed from. */
export function serviceEnvironment(env: NodeJS.ProcessEnv): Record<string, string> {
  const keep = /^(STORELITE_\w+|DATABASE_URL|HOST|PORT|WEB_PORT|NODE_ENV|GOOGLE_GENERATIVE_AI_API_KEY|GEMINI_API_KEY)$/;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (v !== undefined && v !== "" && keep.test(k) && k !== "STORELITE_DEV" && k !== "STORELITE_WEB_URL") out[k] = v;
  }
  return out;
}

/** KEY=value lines as systemd's EnvironmentFile= reads them (values double-quoted, escapes for \ and "). */
export function envFileText(vars: Record<string, string>): string {
  const head = "# StoreLite's settings for the service (see the README's Configuration section). One KEY=value per line.\n";
  return head + Object.entries(vars).map(([k, v]) => `${k}="${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"\n`).join("");
}

/** Reads an EnvironmentFile written by envFileText (or by hand: KEY=value, optional quotes, # comments). */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const m = /^\s*([A-Za-z_]\w*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m || line.trimStart().startsWith("#")) continue;
    let v = m[2]!;
    if (/^".*"$/.test(v)) v = v.slice(1, -1).replace(/\\(["\\])/g, "$1");
    else if (/^'.*'$/.test(v)) v = v.slice(1, -1);
    out[m[1]!] = v;
  }
  return out;
}

/** Whether this machine was booted with systemd (what `systemctl` needs). */
export function systemdRunning(): boolean {
  return fs.existsSync("/run/systemd/system");
}

export function systemctl(scope: Scope, args: string[], inherit = false): { status: number; output: string } {
  const res = spawnSync("systemctl", [...(scope === "user" ? ["--user"] : []), ...args], { encoding: "utf8", stdio: inherit ? "inherit" : "pipe" });
  if (res.error) return { status: 127, output: res.error.message };
  return { status: res.status ?? 1, output: `${res.stdout ?? ""}${res.stderr ?? ""}`.trim() };
}

/** Who a system service runs as by default: whoever ran sudo, else the checkout's owner. */
export function defaultServiceUser(rootDir: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.SUDO_USER && env.SUDO_USER !== "root") return env.SUDO_USER;
  const uid = fs.statSync(rootDir).uid;
  const res = spawnSync("id", ["-nu", String(uid)], { encoding: "utf8" });
  return res.status === 0 ? res.stdout.trim() : os.userInfo().username;
}
