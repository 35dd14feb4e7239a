// The npm packages of package-lock.json, installed when missing (a fresh clone): used by npm start and
// by npm test (its pretest step), so that either works as the first command run in a clone.
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
/** Packages every command needs: the compiler, the test runner, the notebook kernel. */
const NEEDED = ["typescript", "vitest", "tslab"];

/**
 * Runs `npm ci` when a needed package is missing; false when that failed (npm printed why). `dir` and
 * `npm` are for tests: the project's folder, and what runs npm there.
 */
function ensureNpmPackages(say, dir = root, npm = (args) => spawnSync("npm", args, { cwd: dir, stdio: "inherit" })) {
  const missing = NEEDED.filter((name) => !fs.existsSync(path.join(dir, "node_modules", name, "package.json")));
  if (missing.length === 0) return true;
  say(`installing npm packages (npm ci: ${missing.join(", ")} missing)…`);
  return npm(["ci"]).status === 0;
}

module.exports = { ensureNpmPackages };

if (require.main === module) {
  // node scripts/ensure-packages.cjs: npm test's pretest step
  const say = (text) => console.log(`[test] ${text}`);
  if (!ensureNpmPackages(say)) {
    console.error("[test] npm ci failed (see above): run `npm ci`, then `npm test` again");
    process.exit(1);
  }
}
