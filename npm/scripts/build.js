/*
 * Build what the package ships (npm pack runs this as prepack): the client and the Playwright
 * fixtures compiled twice from src/, as ES modules in dist/esm and as CommonJS in dist/cjs, each
 * folder marked with its module type so Node loads it as such whatever the consumer's type is.
 */

const { execFileSync } = require("node:child_process");
const { mkdirSync, rmSync, writeFileSync } = require("node:fs");
const { join } = require("node:path");

const root = join(__dirname, "..");
const tsc = join(root, "node_modules", "typescript", "bin", "tsc");

rmSync(join(root, "dist"), { recursive: true, force: true });
for (const [config, folder, type] of [
  ["tsconfig.build.json", "esm", "module"],
  ["tsconfig.cjs.json", "cjs", "commonjs"],
]) {
  execFileSync(process.execPath, [tsc, "-p", join(root, config)], { stdio: "inherit" });
  mkdirSync(join(root, "dist", folder), { recursive: true });
  writeFileSync(join(root, "dist", folder, "package.json"), `${JSON.stringify({ type })}\n`);
}
