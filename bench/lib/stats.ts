// Latency summaries and plain-text tables for the bench output.
export interface Measured {
  /** Successful operations per second over the measured window. */
  rate: number;
  p50: number;
  p99: number;
  ok: number;
  failed: number;
  /** The first failed response, to show what went wrong. */
  sampleFailure?: string;
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx]!;
}

export function summarize(latenciesMs: number[], seconds: number, failed = 0): Measured {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  return { rate: sorted.length / seconds, p50: percentile(sorted, 50), p99: percentile(sorted, 99), ok: sorted.length, failed };
}

export const fmt = {
  rate: (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString("en") : "n/a"),
  ms: (n: number) => (Number.isFinite(n) ? (n < 10 ? n.toFixed(2) : n.toFixed(1)) : "n/a"),
  ratio: (n: number) => (Number.isFinite(n) ? `${n.toFixed(2)}×` : "n/a"),
};

/** A left-aligned first column, right-aligned numbers. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

export function machineInfo(): string {
  return machine().join("; ");
}

import os from "node:os";
function machine(): string[] {
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  return [`${os.cpus().length} × ${cpu}`, `${Math.round(os.totalmem() / 2 ** 30)} GiB RAM`, `Node ${process.version}`, `load avg ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`];
}
