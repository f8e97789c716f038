// The backup file format: one gzip stream of frames, each a type byte, a
// 4-byte big-endian length and the payload. A file is
//   S (magic + header JSON)  then per table  T (table JSON) D... (COPY text) E (count + sha256)
//   then M (the manifest JSON), and the gzip trailer (CRC32 + length).
// A file that does not end with M and a clean trailer is incomplete; one whose
// first frame lacks the magic is not ours.
import { createGunzip } from "node:zlib";
import fs from "node:fs";
import { DomainError } from "../domain/errors.ts";

export const MAGIC = "STORELITE-BACKUP";
export const FORMAT_VERSION = 1;
export const BACKUP_EXTENSION = ".storelite.gz";

/**
 * Settings that fix how COPY writes and reads values, so a file restores the same anywhere.
 * SET LOCAL: they end with the transaction, so the pooled connection goes back unchanged.
 */
export const SESSION_SETTINGS = [
  "SET LOCAL client_encoding = 'UTF8'",
  "SET LOCAL DateStyle = 'ISO, YMD'",
  "SET LOCAL IntervalStyle = 'postgres'",
  "SET LOCAL TimeZone = 'UTC'",
  "SET LOCAL extra_float_digits = 3",
  "SET LOCAL bytea_output = 'hex'",
];

export type FrameType = "S" | "T" | "D" | "E" | "M";

export interface Header {
  format: number;
  storeliteVersion: string;
  createdAt: string;
}

export interface TableStart {
  name: string;
  columns: string[];
}

export interface TableEnd {
  name: string;
  rows: number;
  bytes: number;
  sha256: string;
}

export interface Manifest extends Header {
  /** Applied migrations at the snapshot, in the order they were applied (the schema level). */
  migrations: { name: string; checksum: string }[];
  schema: string;
  serverVersion: string;
  tables: (TableEnd & { columns: string[] })[];
  sequences: { name: string; lastValue: string; isCalled: boolean }[];
  totalRows: number;
  /** Uncompressed bytes of table data. */
  dataBytes: number;
  durationMs: number;
}

/** The file is not a complete, intact StoreLite backup: nothing is restored from it. */
export class BackupFileError extends DomainError {
  readonly code = "BACKUP_FILE_INVALID";
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`${file} is not a usable StoreLite backup: ${reason}`);
  }
}

/** Rows in COPY text: each ends with a newline (newlines inside values are escaped). */
export function countNewlines(b: Buffer): number {
  let n = 0;
  for (let i = b.indexOf(10); i !== -1; i = b.indexOf(10, i + 1)) n++;
  return n;
}

export function frame(type: FrameType, payload: Buffer | string): Buffer {
  const body = typeof payload === "string" ? Buffer.from(payload, "utf8") : payload;
  const head = Buffer.allocUnsafe(5);
  head.write(type, 0, "latin1");
  head.writeUInt32BE(body.length, 1);
  return Buffer.concat([head, body]);
}

export const MAX_FRAME = 64 * 1024 * 1024;

/**
 * Reads the frames of a backup file in order. Throws BackupFileError for a file
 * that is not gzip, is cut short, fails gzip's CRC, or has a malformed frame.
 */
export async function* readFrames(file: string): AsyncGenerator<{ type: FrameType; payload: Buffer }> {
  let fd: fs.promises.FileHandle;
  try {
    fd = await fs.promises.open(file, "r");
  } catch (err) {
    throw new BackupFileError(file, `cannot open it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const head = Buffer.alloc(2);
  const { bytesRead } = await fd.read(head, 0, 2, 0);
  await fd.close();
  if (bytesRead < 2 || head[0] !== 0x1f || head[1] !== 0x8b) throw new BackupFileError(file, "it is not gzip-compressed (a foreign or damaged file)");

  const gunzip = fs.createReadStream(file, { highWaterMark: 1 << 20 }).pipe(createGunzip());
  let buf: Buffer = Buffer.alloc(0);
  let first = true;
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      while (buf.length >= 5) {
        const type = String.fromCharCode(buf[0]!) as FrameType;
        const len = buf.readUInt32BE(1);
        if (!"STDEM".includes(type) || len > MAX_FRAME) throw new BackupFileError(file, first ? "it does not start with a StoreLite backup header" : "a damaged frame inside");
        if (buf.length < 5 + len) break;
        const payload = buf.subarray(5, 5 + len);
        buf = buf.subarray(5 + len);
        if (first) {
          if (type !== "S" || !payload.subarray(0, MAGIC.length).equals(Buffer.from(MAGIC))) throw new BackupFileError(file, "it does not start with a StoreLite backup header");
          first = false;
        }
        yield { type, payload };
      }
    }
  } catch (err) {
    gunzip.destroy();
    if (err instanceof BackupFileError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "Z_BUF_ERROR" || /unexpected end/i.test((err as Error).message)) throw new BackupFileError(file, "it is truncated (the file ends early)");
    if (code === "Z_DATA_ERROR") throw new BackupFileError(file, `it is corrupted (${(err as Error).message})`);
    throw err;
  }
  if (first) throw new BackupFileError(file, "it is empty");
  if (buf.length) throw new BackupFileError(file, "it is truncated (a frame is cut short)");
}

export function parseJson<T>(file: string, payload: Buffer, what: string): T {
  try {
    return JSON.parse(payload.toString("utf8")) as T;
  } catch {
    throw new BackupFileError(file, `its ${what} is not valid JSON`);
  }
}
