// Reading an uploaded spreadsheet file as CSV records, streamed: checks that it
// is UTF-8 text within the size cap (refusing workbooks, binaries and mixed
// encodings with a message saying what to do), detects the delimiter from the
// header line, and parses with csv-parse (quoted fields, newlines in cells).
import crypto from "node:crypto";
import { parse } from "csv-parse";
import { DomainError } from "./errors.ts";

/** The file as a whole cannot be imported; nothing was written. */
export class ImportFileError extends DomainError {
  readonly code = "IMPORT_FILE_REFUSED";
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

/** The uploaded file: a stream (a request body, a file read stream) or chunks in memory. */
export type ImportSource = AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;

export type Delimiter = "," | ";" | "\t";
export const DELIMITERS: readonly Delimiter[] = [",", ";", "\t"];

export interface CsvOptions {
  maxBytes: number;
  delimiter?: Delimiter;
  /** Largest single record; a bigger one (a 10 MB cell) refuses the file. */
  maxRecordBytes?: number;
}

export interface CsvRecord {
  /** The row number a spreadsheet shows (the header is row 1). */
  rowNo: number;
  cells: string[];
}

const mb = (n: number) => `${(n / 1_000_000).toFixed(n < 1_000_000 ? 2 : 0)} MB`;

/** Validates bytes and decodes them as UTF-8 text, chunk by chunk. */
async function* decodeUtf8(source: ImportSource, maxBytes: number, bytesSeen: { n: number; hash: crypto.Hash }) {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let lines = 1;
  let first = true;
  for await (const raw of source) {
    const chunk = typeof raw === "string" ? Buffer.from(raw, "utf8") : raw;
    bytesSeen.n += chunk.byteLength;
    bytesSeen.hash.update(chunk);
    if (bytesSeen.n > maxBytes) {
      throw new ImportFileError("FILE_TOO_LARGE", `The file is larger than the import limit of ${mb(maxBytes)}: split it into smaller files`);
    }
    if (first) {
      first = false;
      sniff(chunk);
    }
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      throw new ImportFileError(
        "INVALID_UTF8",
        `The file is not valid UTF-8 text (after line ${lines}): it mixes encodings or was saved in another one. Save it as "CSV UTF-8" and import again`,
      );
    }
    const nul = text.indexOf("\u0000");
    if (nul >= 0) throw new ImportFileError("NOT_TEXT", `The file contains binary data (a NUL byte on line ${lines + countLines(text.slice(0, nul))}): it is not a CSV file`);
    lines += countLines(text);
    yield text;
  }
  try {
    const rest = decoder.decode();
    if (rest) yield rest;
  } catch {
    throw new ImportFileError("INVALID_UTF8", "The file ends in the middle of a UTF-8 character: save it as \"CSV UTF-8\" and import again");
  }
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

/** Recognises what a file is from its first bytes, to refuse workbooks and binaries with a useful message. */
function sniff(head: Uint8Array) {
  const b = Buffer.from(head.buffer, head.byteOffset, Math.min(head.byteLength, 8));
  if (b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04) {
    throw new ImportFileError(
      "SPREADSHEET_WORKBOOK",
      "This is an Excel/OpenDocument workbook (.xlsx/.ods), not CSV: in your spreadsheet choose File → Save As → \"CSV UTF-8 (comma delimited)\" and import that file",
    );
  }
  if (b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0) {
    throw new ImportFileError("SPREADSHEET_WORKBOOK", "This is an old Excel workbook (.xls), not CSV: save it as \"CSV UTF-8\" and import that file");
  }
  if ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff)) {
    throw new ImportFileError("UTF16", "The file is UTF-16 text (Excel's \"Unicode text\"): save it as \"CSV UTF-8\" and import again");
  }
  if (b.subarray(0, 4).toString("latin1") === "%PDF") throw new ImportFileError("NOT_TEXT", "This is a PDF file, not CSV");
}

/** The delimiter the header line uses most (outside quotes): , ; or tab. */
export function detectDelimiter(headerLine: string): Delimiter {
  const counts = new Map<Delimiter, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && counts.has(ch as Delimiter)) counts.set(ch as Delimiter, counts.get(ch as Delimiter)! + 1);
  }
  let best: Delimiter = ",";
  for (const d of DELIMITERS) if (counts.get(d)! > counts.get(best)!) best = d;
  return best;
}

export interface CsvFile {
  delimiter: Delimiter;
  header: string[];
  records: AsyncGenerator<CsvRecord>;
  /** Bytes read so far and their SHA-256 (complete once records are exhausted). */
  bytes(): number;
  sha256(): string;
}

/**
 * Opens a CSV source: reads up to the header line, detects the delimiter and
 * returns the header and an iterator over the data records. Blank lines are
 * skipped but counted, so row numbers match the spreadsheet.
 */
export async function openCsv(source: ImportSource, opts: CsvOptions): Promise<CsvFile> {
  const seen = { n: 0, hash: crypto.createHash("sha256") };
  const text = decodeUtf8(source, opts.maxBytes, seen);
  // Read until the first line is complete (or 64 KB) to see the header's delimiter.
  let buffered = "";
  let done = false;
  while (!/\r|\n/.test(buffered) && buffered.length < 65536) {
    const next = await text.next();
    if (next.done) {
      done = true;
      break;
    }
    buffered += next.value;
  }
  if (!buffered.trim()) throw new ImportFileError("EMPTY_FILE", "The file is empty: it needs a header row and at least one row of items");
  const delimiter = opts.delimiter ?? detectDelimiter(buffered.split(/\r?\n|\r/, 1)[0]!);

  const parser = parse({
    delimiter,
    relax_column_count: true,
    max_record_size: opts.maxRecordBytes ?? 1_000_000,
    skip_empty_lines: false,
    info: true,
  });
  // Waits for the parser to want more, or to be gone (the reader stopped early).
  const drained = () => new Promise<void>((resolve) => {
    const go = () => {
      parser.off("drain", go).off("close", go);
      resolve();
    };
    parser.once("drain", go).once("close", go);
  });
  const feed = (async () => {
    try {
      if (buffered && !parser.write(buffered)) await drained();
      if (!done) {
        for await (const chunk of text) {
          if (parser.destroyed) return;
          if (!parser.write(chunk)) await drained();
        }
      }
      parser.end();
    } catch (err) {
      parser.destroy(err as Error);
    }
  })();

  const iterator = parser[Symbol.asyncIterator]() as AsyncIterator<{ record: string[]; info: { records: number; lines: number } }>;
  const next = async () => {
    try {
      return await iterator.next();
    } catch (err) {
      throw csvError(err);
    }
  };
  const first = await next();
  if (first.done) throw new ImportFileError("EMPTY_FILE", "The file is empty: it needs a header row and at least one row of items");
  const header = first.value.record.map((h) => h.trim());

  async function* records(): AsyncGenerator<CsvRecord> {
    let rowNo = 1;
    try {
      for (;;) {
        const r = await next();
        if (r.done) break;
        rowNo++;
        const cells = r.value.record;
        if (cells.every((c) => c.trim() === "")) continue; // a blank line or a row of empty cells
        yield { rowNo, cells };
      }
      await feed;
    } finally {
      if (!parser.destroyed) parser.destroy();
    }
  }
  return { delimiter, header, records: records(), bytes: () => seen.n, sha256: () => seen.hash.copy().digest("hex") };
}

/** csv-parse's errors in the user's words (with the line they stopped at). */
function csvError(err: unknown): unknown {
  if (err instanceof ImportFileError) return err;
  const e = err as { code?: string; lines?: number; message?: string };
  switch (e.code) {
    case "CSV_QUOTE_NOT_CLOSED":
      return new ImportFileError("UNCLOSED_QUOTE", `A quoted cell that starts near line ${e.lines ?? "?"} is never closed ("): check the quotes in that row`);
    case "CSV_INVALID_CLOSING_QUOTE":
      return new ImportFileError("BAD_QUOTE", `Line ${e.lines ?? "?"} has a quote (") in the middle of a cell: write it as "" inside a quoted cell`);
    case "CSV_MAX_RECORD_SIZE":
      return new ImportFileError("ROW_TOO_LARGE", `The row at line ${e.lines ?? "?"} is larger than 1 MB: a cell that big is not catalogue data`);
    default:
      return e.code?.startsWith("CSV_") ? new ImportFileError("MALFORMED_CSV", `The file is not valid CSV: ${e.message}`) : err;
  }
}
