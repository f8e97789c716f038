import { createRequire } from "node:module";
import { defineConfig } from "vitest/config";

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // Vite would pick graphql's ESM build for our files while the API's schema
    // (built by Pothos, loaded by Node) uses the CommonJS one; graphql refuses
    // to mix the two, so everything gets the one Node itself resolves.
    alias: [{ find: /^graphql$/, replacement: require.resolve("graphql") }],
  },
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // One embedded PostgreSQL per run, shared with the API's own test harness.
    globalSetup: ["@storelite/api/testing/global-setup"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
