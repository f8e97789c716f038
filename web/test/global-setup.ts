// Browser tests: build the web app once per run (skipped when the last build
// came from the same sources). Each test file then serves that build with
// `next start` pointed at its own API server (test/harness.ts).
import { buildIfStale } from "../scripts/serve.ts";

export default async function setup() {
  await buildIfStale((m) => console.log(m));
}
