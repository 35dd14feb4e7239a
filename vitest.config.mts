import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    testTimeout: 60_000,
    projects: [
      {
        // The fast loop (npm run test:unit): Node only, no browser, no graph of a million nodes.
        extends: true,
        test: { name: "unit", include: ["test/*.test.ts"] },
      },
      {
        // Chromium and million-node graphs: seconds each, so out of the fast loop; npm test runs them.
        extends: true,
        test: { name: "slow", include: ["test/slow/*.test.ts"] },
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
