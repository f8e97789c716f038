// Runs StoreLite's compiled programs as child processes, the way a shopkeeper
// starts them, for tests that kill, restart and stop them: the API alone
// (dist/api.js, which starts its own embedded PostgreSQL) and the whole of
// `npm start` (scripts/start.mjs: the supervisor with PostgreSQL, API and web app).
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export const apiDir = path.resolve(import.meta.dirname, "../..");
export const rootDir = path.resolve(apiDir, "..");
export const API_ENTRY = path.join(rootDir, "dist", "api.js");

export interface StoreLiteProcess {
  child: ChildProcess;
  /** Resolves with the output so far once the banner is printed; rejects if it exits first. */
  ready: Promise<string>;
  exited: Promise<number | null>;
  output(): string;
}

/** The compiled API alone (dist/api.js), with its own embedded PostgreSQL unless DATABASE_URL is given. */
export function startStoreLite(env: Record<string, string>, asUser?: string): StoreLiteProcess {
  return startProcess([process.execPath, "--enable-source-maps", API_ENTRY], env, asUser);
}

/**
 * `npm start` without npm (what the service runs): node scripts/start.mjs —
 * the supervisor, the API with its PostgreSQL and (unless STORELITE_WEB=off,
 * the default here) the web app. Ready once the supervisor's closing banner
 * is printed, i.e. once it has every child started and watched.
 */
export function startSupervised(env: Record<string, string>): StoreLiteProcess {
  return startProcess([process.execPath, path.join(rootDir, "scripts", "start.mjs")], env, undefined, "  Console       npm run cli");
}

function startProcess(command: string[], env: Record<string, string>, asUser?: string, readyText = "Press Ctrl-C to stop"): StoreLiteProcess {
  const vars = { DATABASE_URL: "", STORELITE_WEB: "off", ...env };
  // As root, `su` runs StoreLite as an ordinary user; exec keeps signals going straight to node.
  const child = asUser
    ? spawn("su", [asUser, "-s", "/bin/sh", "-c", `cd ${apiDir} && exec env ${Object.entries(vars).map(([k, v]) => `${k}='${v}'`).join(" ")} ${command.join(" ")}`], {
        stdio: ["ignore", "pipe", "pipe"],
      })
    : spawn(command[0]!, command.slice(1), { cwd: apiDir, env: { ...process.env, ...vars }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const ready = new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      if (output.includes(readyText)) {
        clearInterval(timer);
        resolve(output);
      }
    }, 50);
    void exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`StoreLite exited with ${code}:\n${output}`));
    });
  });
  ready.catch(() => {}); // callers that only await `exited` must not see an unhandled rejection
  return { child, ready, exited, output: () => output };
}

/** The child of `parent` whose command line matches (e.g. the supervisor's API: /dist\/api\.js/). */
export function childPid(parent: number, command: RegExp): number {
  const found = execFileSync("pgrep", ["-P", String(parent)], { encoding: "utf8" })
    .trim()
    .split("\n")
    .map(Number)
    .find((pid) => command.test(fs.readFileSync(`/proc/${pid}/cmdline`, "utf8")));
  if (!found) throw new Error(`no child of ${parent} matching ${command}`);
  return found;
}
