// HTTP load with autocannon: N keep-alive connections, each request built by a
// function (random items per bill), latencies recorded at full resolution
// (autocannon's own histogram rounds to whole milliseconds), success decided
// by the caller from status and body.
import autocannon, { type Request, type Result } from "autocannon";
import { summarize, type Measured } from "./stats.ts";

export interface LoadOptions {
  url: string;
  connections: number;
  seconds: number;
  /** Stop after this many requests instead of after `seconds`. */
  amount?: number;
  /** Builds one request (method, path, headers, body). */
  request: () => Request;
  /** Whether a response counts as a success (e.g. a created bill). */
  ok: (status: number, body: string) => boolean;
}

export async function load(opts: LoadOptions): Promise<Measured> {
  const latencies: number[] = [];
  let failed = 0;
  let sampleFailure: string | undefined;
  // For each response autocannon calls onResponse (with the body) and then,
  // synchronously, emits 'response' (with the latency): pair them via lastOk.
  let lastOk = false;
  const instance = autocannon({
    url: opts.url,
    connections: opts.connections,
    pipelining: 1,
    ...(opts.amount ? { amount: opts.amount } : { duration: opts.seconds }),
    timeout: 30,
    requests: [
      {
        setupRequest: (req) => ({ ...req, ...opts.request() }),
        onResponse: (status, body) => {
          lastOk = opts.ok(status, body);
          if (!lastOk) sampleFailure ??= `${status} ${body.slice(0, 300)}`;
        },
      },
    ],
  });
  instance.on("response", (_client, _status, _bytes, responseTime) => {
    if (lastOk) latencies.push(responseTime);
    else failed++;
    lastOk = false;
  });
  const result = await new Promise<Result>((resolve) => instance.on("done", resolve));
  return { ...summarize(latencies, result.duration), failed: failed + result.errors + result.timeouts, ...(sampleFailure ? { sampleFailure } : {}) };
}
