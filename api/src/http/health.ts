// GET /health: is StoreLite well? One check per part — the database, the web
// app (when the supervisor runs one), and whatever else registers itself (the
// backup schedule, the job queue). JSON for service managers and monitors
// (200 when every check passes, 503 when one fails); a short text report for
// a person (a browser, or ?format=text).
import type { IncomingMessage, ServerResponse } from "node:http";

/** A check passes by returning (optionally with a detail to show) and fails by throwing. */
export type HealthCheck = () => Promise<string | void>;

export interface CheckReport {
  status: "ok" | "failing";
  ms: number;
  detail?: string;
}

export interface HealthReport {
  status: "ok" | "failing";
  checks: Record<string, CheckReport>;
  uptimeSeconds: number;
}

export interface Health {
  /** Adds a check under `name` (replacing one of that name); each run gets `timeoutMs` (default 3 s). */
  register(name: string, check: HealthCheck, options?: { timeoutMs?: number }): void;
  run(): Promise<HealthReport>;
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>;
}

export function createHealth(): Health {
  const checks = new Map<string, { check: HealthCheck; timeoutMs: number }>();
  const started = Date.now();

  const runOne = async (check: HealthCheck, timeoutMs: number): Promise<CheckReport> => {
    const t = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      const detail = await Promise.race([check(), timeout]);
      return { status: "ok", ms: Math.round(performance.now() - t), ...(detail ? { detail } : {}) };
    } catch (err) {
      return { status: "failing", ms: Math.round(performance.now() - t), detail: err instanceof Error ? err.message : String(err) };
    } finally {
      clearTimeout(timer);
    }
  };

  const health: Health = {
    register(name, check, options) {
      checks.set(name, { check, timeoutMs: options?.timeoutMs ?? 3000 });
    },
    async run() {
      const entries = await Promise.all([...checks].map(async ([name, c]) => [name, await runOne(c.check, c.timeoutMs)] as const));
      return {
        status: entries.every(([, r]) => r.status === "ok") ? "ok" : "failing",
        checks: Object.fromEntries(entries),
        uptimeSeconds: Math.round((Date.now() - started) / 1000),
      };
    },
    async handle(req, res, url) {
      const report = await health.run();
      const status = report.status === "ok" ? 200 : 503;
      const headers = { "cache-control": "no-store" };
      if (wantsText(req, url)) {
        const text = renderText(report);
        res.writeHead(status, { ...headers, "content-type": "text/plain; charset=utf-8", "content-length": Buffer.byteLength(text) });
        return void res.end(req.method === "HEAD" ? undefined : text);
      }
      const body = JSON.stringify(report);
      res.writeHead(status, { ...headers, "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(body) });
      res.end(req.method === "HEAD" ? undefined : body);
    },
  };
  return health;
}

/** ?format=text|json decides; otherwise a browser (text/html before JSON in Accept) gets text. */
function wantsText(req: IncomingMessage, url: URL): boolean {
  const format = url.searchParams.get("format");
  if (format) return format === "text";
  const accept = req.headers.accept ?? "";
  const html = accept.search(/text\/(html|plain)/);
  const json = accept.search(/application\/json/);
  return html !== -1 && (json === -1 || html < json);
}

export function renderText(report: HealthReport): string {
  const failing = Object.entries(report.checks).filter(([, c]) => c.status !== "ok");
  const head = failing.length ? `StoreLite is NOT well: ${failing.map(([n]) => n).join(", ")} failing.` : "StoreLite is well.";
  const width = Math.max(...Object.keys(report.checks).map((n) => n.length), 5);
  const lines = Object.entries(report.checks).map(([name, c]) => `  ${name.padEnd(width)}  ${c.status.padEnd(7)}  ${`${c.ms} ms`.padStart(7)}${c.detail ? `  ${c.detail}` : ""}`);
  return `${head}\n\n${lines.join("\n")}\n\nUp for ${formatDuration(report.uptimeSeconds)}. The same as JSON: /health?format=json\n`;
}

function formatDuration(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86_400)} days`;
}

/** The web app answers its home page (a server error counts as failing). */
export function webAppCheck(webUrl: string): HealthCheck {
  return async () => {
    const res = await fetch(webUrl, { method: "HEAD", redirect: "manual", signal: AbortSignal.timeout(2500) }).catch((err: Error & { cause?: Error }) => {
      throw new Error(`${webUrl} does not answer (${err.cause?.message ?? err.message})`);
    });
    if (res.status >= 500) throw new Error(`${webUrl} answered ${res.status}`);
    return webUrl;
  };
}
