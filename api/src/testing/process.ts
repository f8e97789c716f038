// Runs the real `npm start` entry (api/src/main.ts) as a child process, the way
// a shopkeeper starts StoreLite, for tests that kill, restart and stop it.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

export const apiDir = path.resolve(import.meta.dirname, "../..");

export interface StoreLiteProcess {
  child: ChildProcess;
  /** Resolves with the output so far once the banner is printed; rejects if it exits first. */
  ready: Promise<string>;
  exited: Promise<number | null>;
  output(): string;
}

export function startStoreLite(env: Record<string, string>, asUser?: string): StoreLiteProcess {
  const vars = { DATABASE_URL: "", STORELITE_WEB: "off", ...env };
  const command = [process.execPath, "--import", "tsx", "src/main.ts"];
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
      if (output.includes("Press Ctrl-C to stop")) {
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
