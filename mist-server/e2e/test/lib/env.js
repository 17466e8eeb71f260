"use strict";
// Where things are, and loud failures when something the tests need is missing.
const fs = require("node:fs");
const path = require("node:path");
const { spawnSync } = require("node:child_process");

const E2E_DIR = path.resolve(__dirname, "../..");
const REPO = path.resolve(E2E_DIR, "../..");
const SERIES_DIR = path.join(REPO, "mist-core/series");
const SHOTS_DIR = process.env.MIST_E2E_SHOTS || "/tmp/mist-e2e-shots";

/** Chromium: CHROMIUM=/path when set, otherwise the Debian package's binary. */
function chromiumPath() {
  const candidates = process.env.CHROMIUM ? [process.env.CHROMIUM] : ["/usr/bin/chromium", "/usr/bin/chromium-browser"];
  const found = candidates.find((candidate) => fs.existsSync(candidate));
  if (!found) {
    throw new Error(
      `Chromium not found (tried ${candidates.join(", ")}): install it with \`apt-get install -y chromium\` ` +
        "or point CHROMIUM at a Chromium binary",
    );
  }
  return found;
}

let cachedBinary;

/**
 * The `mist` binary: MIST_BIN when set (it must exist), otherwise `cargo build -p mist-server --bin mist` in the
 * repository (bounded to 20 minutes), using the executable path cargo reports.
 */
function mistBinary() {
  if (cachedBinary) {
    return cachedBinary;
  }
  if (process.env.MIST_BIN) {
    const bin = path.resolve(process.env.MIST_BIN);
    if (!fs.existsSync(bin)) {
      throw new Error(`MIST_BIN=${process.env.MIST_BIN} does not exist: build it with \`cargo build -p mist-server --bin mist\``);
    }
    cachedBinary = bin;
    return bin;
  }
  const run = spawnSync("cargo", ["build", "-p", "mist-server", "--bin", "mist", "--message-format=json-render-diagnostics"], {
    cwd: REPO,
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
    timeout: 20 * 60 * 1000,
    stdio: ["ignore", "pipe", "inherit"],
  });
  if (run.error || run.status !== 0) {
    throw new Error(
      `\`cargo build -p mist-server --bin mist\` in ${REPO} failed (${run.error || `exit ${run.status}`}); ` +
        "set MIST_BIN=/path/to/mist to use a built binary",
    );
  }
  const executable = run.stdout
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line))
    .filter((message) => message.reason === "compiler-artifact" && message.executable)
    .map((message) => message.executable)
    .find((file) => path.basename(file) === "mist");
  if (!executable || !fs.existsSync(executable)) {
    throw new Error("cargo built no `mist` executable; set MIST_BIN=/path/to/mist");
  }
  cachedBinary = executable;
  return executable;
}

module.exports = { E2E_DIR, REPO, SERIES_DIR, SHOTS_DIR, chromiumPath, mistBinary };
