// The StoreLite console program (`npm run cli`, `storelite`): the menus of the
// original design over the same database as `npm start`, plus subcommands for scripts.
import { openDatabase, type OpenDatabase } from "../db/open.ts";
import { systemActor } from "../domain/access.ts";
import { loadEnv } from "../env.ts";
import { createBillFlow } from "./billing.ts";
import { EXIT, USAGE, UsageError, parseCommand, runCommand, type Command } from "./commands.ts";
import { inventoryMenu } from "./inventory.ts";
import { serviceCommand } from "./service.ts";
import { invoiceDir } from "./invoices.ts";
import { EndOfInput, Interrupted, Prompter, askMenu } from "./prompt.ts";
import type { Session } from "./session.ts";

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

async function open(verbose: boolean): Promise<OpenDatabase> {
  // Start-up messages (embedded PostgreSQL, migrations) go to stderr so stdout stays the program's own.
  return openDatabase(loadEnv(), verbose ? stderr : () => {});
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
    const s: Session = { ctx: { db: opened.db, actor: systemActor("console") }, io, out: stdout, invoiceDir: invoiceDir() };
    stdout("StoreLite console. Ctrl-C at any prompt cancels without saving.");
    for (;;) {
      const choice = await askMenu(io, stdout, "Main Menu", ["Manage Inventory", "Create New Bill", "Exit"]);
      if (choice === 3) {
        stdout("Goodbye.");
        return EXIT.ok;
      }
      try {
        if (choice === 1) await inventoryMenu(s);
        else await createBillFlow(s);
      } catch (err) {
        if (err instanceof EndOfInput || err instanceof Interrupted) throw err;
        // E.g. the database went away: report it and keep the menu, so the user decides.
        stderr(`Something went wrong: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  } catch (err) {
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
  const opened = await open(verbose);
  try {
    const code = await runCommand(cmd, { db: opened.db, actor: systemActor("console") }, { stdout, stderr, invoiceDir: invoiceDir() });
    return signalled ? signalExit(signalled) : code;
  } finally {
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
