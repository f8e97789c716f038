// `storelite service install|uninstall|status`: StoreLite started at boot and
// restarted on failure by systemd (Linux). See runtime/service.ts for the unit.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { parseArgs } from "node:util";
import { ensureBuilt } from "../../../scripts/build.mjs";
import { projectRoot } from "../env.ts";
import {
  SERVICE_NAME,
  defaultServiceUser,
  envFileText,
  parseEnvFile,
  serviceEnvironment,
  servicePaths,
  systemctl,
  systemdRunning,
  systemdUnit,
  type Scope,
} from "../runtime/service.ts";
import { EXIT, SERVICE_USAGE, UsageError } from "./commands.ts";

interface IO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** Secrets in a printed settings file are shown as ***. */
function masked(vars: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(vars).map(([k, v]) => {
      if (/KEY|TOKEN|PASSWORD|SECRET/.test(k)) return [k, "***"];
      if (k === "DATABASE_URL") return [k, v.replace(/(\/\/[^:/@]+:)[^@]*@/, "$1***@")];
      return [k, v];
    }),
  );
}

function readEnvFile(file: string): Record<string, string> {
  try {
    return parseEnvFile(fs.readFileSync(file, "utf8"));
  } catch {
    return {};
  }
}

/** GET /health as text from the API the service runs (its HOST/PORT settings). */
function health(vars: Record<string, string>): Promise<{ status: number; text: string } | undefined> {
  const host = !vars.HOST || vars.HOST === "0.0.0.0" ? "127.0.0.1" : vars.HOST === "::" ? "::1" : vars.HOST;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${vars.PORT || "4000"}/health?format=text`;
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: 3000 }, (res) => {
      let text = "";
      res.setEncoding("utf8").on("data", (d: string) => (text += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(undefined));
  });
}

export async function serviceCommand(argv: string[], io: IO): Promise<number> {
  const [verb, ...rest] = argv;
  let values: { user?: boolean; system?: boolean; as?: string; "no-start"?: boolean; print?: boolean };
  try {
    ({ values } = parseArgs({
      args: rest,
      options: { user: { type: "boolean" }, system: { type: "boolean" }, as: { type: "string" }, "no-start": { type: "boolean" }, print: { type: "boolean" } },
      strict: true,
    }));
    if (values.user && values.system) throw new UsageError("--user and --system cannot be combined");
    if (verb !== "install" && (values.as || values["no-start"] || values.print)) throw new UsageError(`--as, --no-start and --print go with "service install"`);
    if (values.as && values.user) throw new UsageError("--as USER is for a system service (a user service runs as you)");
  } catch (err) {
    throw err instanceof UsageError ? err : new UsageError((err as Error).message);
  }
  if (!["install", "uninstall", "status"].includes(verb ?? "")) throw new UsageError(`unknown command "service ${verb ?? ""}". Usage:\n${SERVICE_USAGE}`);

  if (process.platform !== "linux") {
    io.stderr(`"storelite service" sets StoreLite up with systemd (Linux). On macOS (launchd) and Windows, see "Run it as a service" in ${path.join(projectRoot, "README.md")}.`);
    return EXIT.failed;
  }
  const isRoot = process.getuid?.() === 0;
  const scope: Scope = values.user ? "user" : values.system ? "system" : isRoot ? "system" : "user";
  const paths = servicePaths(scope);
  const sc = scope === "user" ? " --user" : "";
  const vars = { ...readEnvFile(paths.envFile), ...(verb === "install" ? serviceEnvironment(process.env) : {}) };

  if (verb === "install") {
    const user = scope === "system" ? (values.as ?? defaultServiceUser(projectRoot)) : undefined;
    const unit = systemdUnit({ scope, rootDir: projectRoot, node: process.execPath, envFile: paths.envFile, ...(user ? { user } : {}) });
    if (values.print) {
      io.stdout(`# ${paths.unitFile}\n${unit}\n# ${paths.envFile}\n${envFileText(masked(vars))}`);
      return EXIT.ok;
    }
    if (scope === "system" && !isRoot) {
      io.stderr("A system service is installed as root: run this with sudo, or add --user for a service of your own user. Nothing was changed.");
      return EXIT.failed;
    }
    if (!systemdRunning()) {
      io.stderr("systemd is not running on this machine (no /run/systemd/system), so there is nothing to install StoreLite into. Nothing was changed; --print shows the unit file.");
      return EXIT.failed;
    }
    // Build now, so the first start at boot serves at once instead of building for a minute.
    await ensureBuilt({ web: !/^(off|false|0|no)$/i.test(vars.STORELITE_WEB ?? ""), log: io.stderr });
    fs.mkdirSync(path.dirname(paths.envFile), { recursive: true });
    fs.writeFileSync(paths.envFile, envFileText(vars), { mode: 0o600 });
    fs.chmodSync(paths.envFile, 0o600);
    fs.mkdirSync(path.dirname(paths.unitFile), { recursive: true });
    fs.writeFileSync(paths.unitFile, unit);
    for (const args of [["daemon-reload"], ["enable", ...(values["no-start"] ? [] : ["--now"]), `${SERVICE_NAME}.service`]]) {
      const res = systemctl(scope, args);
      if (res.status !== 0) {
        io.stderr(`systemctl${sc} ${args.join(" ")} failed: ${res.output}`);
        return EXIT.failed;
      }
    }
    io.stdout(`StoreLite is installed as the ${scope} service "${SERVICE_NAME}"${user ? `, running as ${user}` : ""}: ${values["no-start"] ? "it starts at the next boot" : "it is starting now, and starts at every boot"}, and is restarted if it fails.`);
    if (scope === "user") {
      // Without lingering, a user's services start at their login, not at boot.
      const linger = spawnLinger();
      if (!linger) io.stdout(`To start it at boot before anyone logs in: sudo loginctl enable-linger ${process.env.USER ?? "$USER"}`);
    }
    io.stdout(`  Settings    ${paths.envFile}   (then: systemctl${sc} restart ${SERVICE_NAME})`);
    io.stdout(`  Unit        ${paths.unitFile}`);
    io.stdout(`  Logs        journalctl${sc} -u ${SERVICE_NAME} -f`);
    io.stdout(`  Health      storelite service status${sc}`);
    return EXIT.ok;
  }

  if (!systemdRunning()) {
    io.stderr("systemd is not running on this machine (no /run/systemd/system).");
    if (verb === "uninstall") return EXIT.failed;
  }

  if (verb === "uninstall") {
    if (!fs.existsSync(paths.unitFile)) {
      io.stderr(`No ${scope} service is installed (${paths.unitFile} does not exist).${scope === "system" ? " For a user service: --user." : ""}`);
      return EXIT.refused;
    }
    systemctl(scope, ["disable", "--now", `${SERVICE_NAME}.service`]);
    fs.rmSync(paths.unitFile, { force: true });
    systemctl(scope, ["daemon-reload"]);
    io.stdout(`Removed the ${scope} service "${SERVICE_NAME}". Your data and settings (${paths.envFile}) are kept.`);
    return EXIT.ok;
  }

  // status
  let active = false;
  if (systemdRunning()) {
    active = systemctl(scope, ["is-active", "--quiet", `${SERVICE_NAME}.service`]).status === 0;
    systemctl(scope, ["status", "--no-pager", "--lines=10", `${SERVICE_NAME}.service`], true);
  } else if (!fs.existsSync(paths.unitFile)) {
    io.stdout(`No ${scope} service is installed (${paths.unitFile}).`);
  }
  const h = await health(vars);
  io.stdout(h ? `\n${h.text.trimEnd()}` : `\nStoreLite does not answer on port ${vars.PORT || "4000"}.`);
  return (active || !systemdRunning()) && h?.status === 200 ? EXIT.ok : EXIT.failed;
}

/** Lets the user's services run without a login session (so from boot); false when not allowed. */
function spawnLinger(): boolean {
  const user = process.env.USER;
  return Boolean(user) && spawnSync("loginctl", ["enable-linger", user!], { stdio: "ignore" }).status === 0;
}
