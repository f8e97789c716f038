// The StoreLite console program (`npm run cli`, `storelite`): the menus of the
// original design over the same database as `npm start`, plus subcommands for scripts.
import { openDatabase, type OpenDatabase } from "../db/open.ts";
import { can, systemActor, type Actor } from "../domain/access.ts";
import type { Database } from "../db/database.ts";
import { loadEnv } from "../env.ts";
import { importLimits } from "../domain/catalog-import.ts";
import { createBillFlow } from "./billing.ts";
import { returnsMenu } from "./returns.ts";
import { EXIT, USAGE, UsageError, parseCommand, runCommand, verifyCommand, type Command } from "./commands.ts";
import { inventoryMenu } from "./inventory.ts";
import { serviceCommand } from "./service.ts";
import { settingsMenu } from "./settings.ts";
import { shiftMenu } from "./shifts.ts";
import { loadShopSettings } from "../domain/settings.ts";
import { invoiceDir } from "./invoices.ts";
import { EndOfInput, Interrupted, Prompter, askMenu } from "./prompt.ts";
import type { Session } from "./session.ts";
import { SignInRefused, askWhoIsWorking, tokenActor } from "./signin.ts";

/** STORELITE_TOKEN when set (scripts), otherwise the person at the keyboard. */
function whoIsWorking(db: Database, io: () => Prompter, out: (line: string) => void): Promise<Actor> {
  const token = process.env.STORELITE_TOKEN?.trim();
  return token ? tokenActor(db, token) : askWhoIsWorking(db, io(), out);
}

// `storelite items list | head`: a reader that stops early is not an error;
// without this listener the closed pipe (EPIPE) would crash the program.
let stdoutClosed = false;
process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code !== "EPIPE") throw err;
  stdoutClosed = true;
});
const stdout = (text: string) => void (stdoutClosed || process.stdout.write(`${text}\n`));
const stderr = (text: string) => void process.stderr.write(`${text}\n`);
const signalExit = (signal: NodeJS.Signals) => (signal === "SIGTERM" ? 143 : EXIT.interrupted);

async function open(verbose: boolean, prepare = true): Promise<OpenDatabase> {
  // Start-up messages (embedded PostgreSQL, migrations) go to stderr so stdout stays the program's own.
  return openDatabase(loadEnv(), verbose ? stderr : () => {}, { prepare });
}

async function interactive(verbose: boolean): Promise<number> {
  const io = new Prompter(process.stdin, process.stdout);
  // Ctrl-C arrives as a signal when stdin is not a terminal; on a terminal readline reports it.
  const onSignal = (signal: NodeJS.Signals) => io.interrupt(signal === "SIGTERM" ? "SIGTERM" : "SIGINT");
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  let opened: OpenDatabase | undefined;
  try {
    opened = await open(verbose);
    stdout("StoreLite console. Ctrl-C at any prompt cancels without saving.");
    const actor = await whoIsWorking(opened.db, () => io, stdout);
    const s: Session = { ctx: { db: opened.db, actor }, io, out: stdout, invoiceDir: invoiceDir() };
    // The menus follow the role: a cashier sells; the domain refuses anything else anyway.
    const entries = [
      ...(can(actor, "VIEW_CATALOG") && (can(actor, "EDIT_CATALOG") || can(actor, "ADJUST_STOCK")) ? [{ label: "Manage Inventory", run: inventoryMenu }] : []),
      ...(can(actor, "SELL") ? [{ label: "Create New Bill", run: createBillFlow }] : []),
      // A cashier may start a return or a void (a manager approves with their PIN).
      ...(can(actor, "SELL") || can(actor, "REFUND") || can(actor, "VOID_BILL") ? [{ label: "Returns and Voids", run: returnsMenu }] : []),
      // Only with shifts on: a shop without them keeps the original menus, numbers and all.
      ...(can(actor, "OPERATE_DRAWER") && (await loadShopSettings(opened.db.pool)).shiftsEnabled ? [{ label: "Shift and cash drawer", run: shiftMenu }] : []),
      ...(can(actor, "MANAGE_SETTINGS") ? [{ label: "Shop Settings", run: settingsMenu }] : []),
    ];
    for (;;) {
      const choice = await askMenu(io, stdout, "Main Menu", [...entries.map((e) => e.label), "Exit"]);
      if (choice === entries.length + 1) {
        stdout("Goodbye.");
        return EXIT.ok;
      }
      try {
        await entries[choice - 1]!.run(s);
      } catch (err) {
        if (err instanceof EndOfInput || err instanceof Interrupted) throw err;
        // E.g. the database went away: report it and keep the menu, so the user decides.
        stderr(`Something went wrong: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  } catch (err) {
    if (err instanceof SignInRefused) {
      stderr(`storelite: ${err.message}`);
      return EXIT.refused;
    }
    if (err instanceof Interrupted) {
      stderr("Interrupted; nothing unfinished was saved.");
      return err.signal === "SIGTERM" ? 143 : EXIT.interrupted;
    }
    if (err instanceof EndOfInput) {
      if (err.atMenu) return EXIT.ok;
      stderr("Input ended in the middle of an action; nothing from it was saved.");
      return EXIT.refused;
    }
    throw err;
  } finally {
    io.close();
    await opened?.close();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

async function command(cmd: Command, verbose: boolean): Promise<number> {
  if (cmd.kind === "help") {
    stdout(USAGE);
    return EXIT.ok;
  }
  // The first signal lets a running transaction finish (it is all-or-nothing anyway); a second one quits at once.
  let signalled: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) process.exit(signalExit(signal));
    signalled = signal;
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const env = loadEnv();
  const cio = {
    stdout,
    stderr,
    invoiceDir: invoiceDir(),
    backupDir: env.backupDir,
    cwd: process.env.INIT_CWD ?? process.cwd(),
    progress: (text: string) => void process.stderr.write(text),
    tty: process.stderr.isTTY,
    limits: importLimits(env),
    writeStdout: async (chunk: string) => {
      if (!stdoutClosed && !process.stdout.write(chunk)) await new Promise((r) => process.stdout.once("drain", r));
    },
  };
  // Verifying a backup file needs no database and no sign-in: it only reads the file.
  if (cmd.kind === "backup-verify") return verifyCommand(cmd, { actor: systemActor("console") }, cio);
  // Backup and restore take the database as it is: no migrations, no demo catalogue first.
  const opened = await open(verbose, cmd.kind !== "backup" && cmd.kind !== "restore");
  let io: Prompter | undefined;
  const prompter = () => (io ??= new Prompter(process.stdin, process.stderr));
  try {
    let actor: Actor;
    try {
      // Prompts and greetings go to stderr: stdout stays the command's own output (e.g. --json).
      actor = await whoIsWorking(opened.db, prompter, stderr);
    } catch (err) {
      if (!(err instanceof SignInRefused || err instanceof EndOfInput)) throw err;
      stderr(`storelite: ${err instanceof SignInRefused ? err.message : "not signed in"} (scripts: set STORELITE_TOKEN to an API token from "storelite token create")`);
      return EXIT.refused;
    }
    const code = await runCommand(cmd, { db: opened.db, actor }, { ...cio, prompt: prompter });
    return signalled ? signalExit(signalled) : code;
  } finally {
    io?.close();
    await opened.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const verbose = argv.includes("--verbose");
  const args = argv.filter((a, i) => !(i === 0 && a === "--verbose"));
  if (!args.length) return interactive(verbose);
  let cmd: Command;
  try {
    // The service commands set up the machine, not the shop: no database needed.
    if (args[0] === "service") return await serviceCommand(args.slice(1), { stdout, stderr });
    cmd = parseCommand(args);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    stderr(`storelite: ${err.message}\nRun "storelite help" for usage.`);
    return EXIT.usage;
  }
  return command(cmd, verbose);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // Normally the process ends by itself; this only guards against a handle left open.
    setTimeout(() => process.exit(code), 3000).unref();
  },
  (err: unknown) => {
    stderr(`storelite: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(EXIT.failed);
  },
);
