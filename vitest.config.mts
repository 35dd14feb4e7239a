import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    testTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["test/*.test.ts"] },
      },
      {
        // Every notebook executed once through Jupyter (global setup), then checked as files and in a browser.
        extends: true,
        test: {
          name: "notebooks",
          include: ["test/notebooks/*.test.ts"],
          globalSetup: ["test/notebooks/setup.ts"],
          testTimeout: 300_000,
        },
      },
    ],
  },
});
