"use strict";
// Starts `mist serve` on 127.0.0.1 with a fresh data directory and reads what it prints on a first start.
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const net = require("node:net");
const { spawn } = require("node:child_process");
const { mistBinary } = require("./env.js");

const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;

/** The environment without MIST_* settings that would point the server at another database or URL. */
function serverEnv() {
  const env = { ...process.env, RUST_LOG: process.env.RUST_LOG || "warn" };
  for (const name of Object.keys(env)) {
    if (name.startsWith("MIST_") && name !== "MIST_BIN") {
      delete env[name];
    }
  }
  return env;
}

/** A TCP port on 127.0.0.1 that was free a moment ago (the OS picks it). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * @param {{args?: string[]}} [options] `args`: extra `mist serve` arguments, e.g. `["--courses", DIR]`.
 * @returns {Promise<{url: string, contentUrl: string, dataDir: string, adminEmail: string, adminLink: string,
 *   joinCode: string, output: () => string, stop: () => Promise<void>}>}
 *
 * The SCORM content listener always gets an explicit free port (`--content-addr`): its default, the
 * bound portal port + 1, may already be taken when the portal's port is picked by the OS (port 0), and
 * the server would then not start. `contentUrl` is the origin the server prints (by default
 * `http://localhost:PORT`, another site than the portal's 127.0.0.1).
 */
async function startPortal({ args = [] } = {}) {
  const bin = mistBinary();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "mist-e2e-data-"));
  const contentPort = await freePort();
  let contentUrl = `http://127.0.0.1:${contentPort}`;
  const child = spawn(bin, ["serve", "--addr", "127.0.0.1:0", "--content-addr", `127.0.0.1:${contentPort}`, "--data-dir", dataDir, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: serverEnv(),
  });
  let log = "";
  const append = (chunk) => {
    log += chunk.toString("utf8");
    if (log.length > 200_000) {
      log = log.slice(-100_000);
    }
  };
  child.stdout.on("data", append);
  child.stderr.on("data", append);
  const killOnExit = () => child.kill("SIGKILL");
  process.on("exit", killOnExit);

  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  const started = new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`\`${bin} serve\` did not say "MIST is running" within ${START_TIMEOUT_MS / 1000} s:\n${log}`)),
      START_TIMEOUT_MS,
    );
    const check = () => {
      const running = /MIST is running: open (http:\/\/127\.0\.0\.1:\d+)\//.exec(log);
      if (running) {
        clearTimeout(timer);
        resolve(running[1]);
      }
    };
    child.stdout.on("data", check);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(new Error(`could not run ${bin}: ${error.message}`));
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`\`${bin} serve\` exited early (code ${code}, signal ${signal}):\n${log}`));
    });
  });
  let url;
  try {
    url = await started;
  } catch (error) {
    child.kill("SIGKILL");
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  // The server names its content origin (another site than the portal: localhost for 127.0.0.1).
  const content = /^SCORM content is served from (\S+?)\/?$/m.exec(log);
  if (content) contentUrl = content[1];
  const link = /First start\. Sign in once as (\S+) \(valid 24 hours\): (\S+)/.exec(log);
  const code = /sign up at \S+ with the code ([A-Z0-9]+)/.exec(log);
  if (!link || !code) {
    child.kill("SIGKILL");
    throw new Error(`the first start did not print the admin link and the demo code:\n${log}`);
  }
  for (const printed of [link[2]]) {
    if (!printed.startsWith(`${url}/`)) {
      throw new Error(`a printed link does not point at the portal (${url}): ${printed}`);
    }
  }

  async function stop() {
    process.off("exit", killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timeout = new Promise((resolve) => setTimeout(() => resolve("timeout"), STOP_TIMEOUT_MS));
      if ((await Promise.race([exited, timeout])) === "timeout") {
        child.kill("SIGKILL");
        await exited;
      }
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  }

  return { url, contentUrl, dataDir, adminEmail: link[1], adminLink: link[2], joinCode: code[1], output: () => log, stop };
}

module.exports = { startPortal, freePort };
