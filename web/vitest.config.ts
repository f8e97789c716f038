import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        test: { name: "unit", include: ["src/**/*.test.ts"], testTimeout: 60_000 },
      },
      {
        // Real headless Chromium against the real Next.js server and the real
        // API on a fresh embedded-PostgreSQL database per file.
        test: {
          name: "browser",
          include: ["test/**/*.test.ts"],
          globalSetup: ["../api/src/testing/global-setup.ts", "./test/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
