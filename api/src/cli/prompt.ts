// Line-by-line prompting that behaves the same on a terminal and on piped
// input: answers typed (or piped) ahead are queued, end of input and Ctrl-C
// surface as exceptions, so every flow unwinds before anything is written.
import readline from "node:readline";
import { ValidationError } from "../domain/errors.ts";

/** Input ended (Ctrl-D, or the end of a piped script). */
export class EndOfInput extends Error {
  /** True when input ended at a menu, i.e. between actions rather than inside one. */
  constructor(readonly atMenu = false) {
    super("end of input");
  }
}

/** Ctrl-C (or SIGINT/SIGTERM). */
export class Interrupted extends Error {
  constructor(readonly signal: "SIGINT" | "SIGTERM" = "SIGINT") {
    super("interrupted");
  }
}

export class Prompter {
  private readonly rl: readline.Interface;
  private readonly queued: string[] = [];
  private waiting: { resolve(line: string): void; reject(err: Error): void } | undefined;
  private ended = false;
  private interruption: Interrupted | undefined;
  private readonly terminal: boolean;

  constructor(
    input: NodeJS.ReadableStream & { isTTY?: boolean },
    private readonly output: NodeJS.WritableStream,
  ) {
    this.terminal = Boolean(input.isTTY);
    this.rl = readline.createInterface({ input, output, terminal: this.terminal });
    this.rl.on("line", (line) => {
      if (this.waiting) {
        const w = this.waiting;
        this.waiting = undefined;
        w.resolve(line);
      } else this.queued.push(line);
    });
    this.rl.on("close", () => {
      this.ended = true;
      this.waiting?.reject(new EndOfInput());
      this.waiting = undefined;
    });
    // On a terminal readline reads Ctrl-C as a key; without a listener it would only pause.
    this.rl.on("SIGINT", () => this.interrupt("SIGINT"));
  }

  /** Makes the pending (or next) prompt throw Interrupted. */
  interrupt(signal: "SIGINT" | "SIGTERM") {
    this.interruption ??= new Interrupted(signal);
    this.waiting?.reject(this.interruption);
    this.waiting = undefined;
  }

  get interrupted(): boolean {
    return this.interruption !== undefined;
  }

  /** Shows `question` and resolves with the next line of input. */
  async ask(question: string): Promise<string> {
    if (this.interruption) throw this.interruption;
    if (this.terminal && !this.ended) {
      this.rl.setPrompt(question);
      this.rl.prompt();
    } else this.output.write(question);
    const next = this.queued.shift();
    const line =
      next ??
      (this.ended
        ? undefined
        : await new Promise<string>((resolve, reject) => {
            this.waiting = { resolve, reject };
          }).catch((err: unknown) => {
            this.output.write("\n"); // end the prompt's line before any goodbye message
            throw err;
          }));
    if (line === undefined) {
      this.output.write("\n");
      throw new EndOfInput();
    }
    // Piped answers are not echoed by a terminal: echo them so a transcript reads like a session.
    if (!this.terminal) this.output.write(`${line}\n`);
    return line;
  }

  /** Like ask(), but what is typed is neither shown on a terminal nor echoed into a transcript. */
  async askSecret(question: string): Promise<string> {
    const rl = this.rl as unknown as { _writeToOutput?: (s: string) => void };
    const original = rl._writeToOutput;
    if (this.terminal && original) {
      this.output.write(question);
      rl._writeToOutput = () => {};
    }
    const wasTerminal = this.terminal;
    try {
      if (wasTerminal && original) {
        const next = this.queued.shift();
        const line = next ?? (this.ended ? undefined : await new Promise<string>((resolve, reject) => (this.waiting = { resolve, reject })));
        if (line === undefined) throw new EndOfInput();
        return line;
      }
      // Piped: the question shows, the secret does not.
      if (this.interruption) throw this.interruption;
      this.output.write(question);
      const next = this.queued.shift();
      const line = next ?? (this.ended ? undefined : await new Promise<string>((resolve, reject) => (this.waiting = { resolve, reject })));
      if (line === undefined) throw new EndOfInput();
      return line;
    } finally {
      if (wasTerminal && original) rl._writeToOutput = original;
      this.output.write("\n");
    }
  }

  close() {
    this.rl.close();
  }
}

/** The first field error of a ValidationError as "Label message." */
export function explain(label: string, err: ValidationError): string {
  const first = err.fieldErrors[0];
  return first ? `${label} ${first.message}.` : err.message;
}

/**
 * Asks until `parse` accepts the answer. `parse` is one of the domain's own
 * parsers, so the console re-asks with exactly the rule every front door uses.
 */
export async function askValid<T>(io: Prompter, out: (s: string) => void, question: string, label: string, parse: (text: string) => T): Promise<T> {
  for (;;) {
    const text = (await io.ask(question)).trim();
    try {
      return parse(text);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      out(`  ${explain(label, err)} Please try again.`);
    }
  }
}

/** y/yes or n/no, asked again until it is one of them. */
export async function askYesNo(io: Prompter, out: (s: string) => void, question: string): Promise<boolean> {
  for (;;) {
    const answer = (await io.ask(`${question} (y/n): `)).trim().toLowerCase();
    if (answer === "y" || answer === "yes") return true;
    if (answer === "n" || answer === "no") return false;
    out("  Please answer y or n.");
  }
}

/** A numbered menu; returns the chosen number. */
export async function askMenu(io: Prompter, out: (s: string) => void, title: string, options: string[]): Promise<number> {
  out("");
  out(title);
  options.forEach((o, i) => out(`  ${i + 1}. ${o}`));
  for (;;) {
    const answer = (
      await io.ask("Choose an option: ").catch((err: unknown) => {
        throw err instanceof EndOfInput ? new EndOfInput(true) : err;
      })
    ).trim();
    const n = /^\d+$/.test(answer) ? Number(answer) : NaN;
    if (n >= 1 && n <= options.length) return n;
    out(`  Please enter a number from 1 to ${options.length}.`);
  }
}
