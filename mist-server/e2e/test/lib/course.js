"use strict";
// An authored course written at test time: `mist course init`, then a video lesson whose media file
// (a PCM WAV, which Chromium plays in a <video> element) is generated here; checked with
// `mist course check` before any server uses it.
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { spawnSync } = require("node:child_process");
const { mistBinary } = require("./env.js");

const COMMAND_TIMEOUT_MS = 60_000;

/**
 * A valid PCM WAV of `seconds` seconds: mono, 8-bit unsigned, `sampleRate` Hz, a quiet 440 Hz tone
 * (8-bit silence is 128).
 */
function wav(seconds, sampleRate = 8000) {
  const samples = Math.round(seconds * sampleRate);
  const header = Buffer.alloc(44);
  header.write("RIFF", 0, "ascii");
  header.writeUInt32LE(36 + samples, 4);
  header.write("WAVE", 8, "ascii");
  header.write("fmt ", 12, "ascii");
  header.writeUInt32LE(16, 16); // fmt chunk size
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate, 28); // bytes per second: 1 channel × 1 byte
  header.writeUInt16LE(1, 32); // block align
  header.writeUInt16LE(8, 34); // bits per sample
  header.write("data", 36, "ascii");
  header.writeUInt32LE(samples, 40);
  const data = Buffer.alloc(samples);
  for (let i = 0; i < samples; i += 1) {
    data[i] = 128 + Math.round(16 * Math.sin((2 * Math.PI * 440 * i) / sampleRate));
  }
  return Buffer.concat([header, data]);
}

function run(args, what) {
  const bin = mistBinary();
  const result = spawnSync(bin, args, { encoding: "utf8", timeout: COMMAND_TIMEOUT_MS });
  if (result.error || result.status !== 0) {
    throw new Error(
      `${what}: \`mist ${args.join(" ")}\` failed (${result.error || `exit ${result.status}`}):\n${result.stdout}${result.stderr}`,
    );
  }
  return `${result.stdout}${result.stderr}`;
}

/**
 * Writes the starter course (`mist course init`) into a new temporary directory as `<tmp>/<slug>` (the
 * directory name is the course slug), adds a video of `seconds` seconds to the lesson of its module
 * (`media/intro.wav`, inside the module directory) and checks the course (`mist course check`, exit 0).
 *
 * @returns {{dir: string, slug: string, module: string, lesson: string, video: string, seconds: number,
 *   remove: () => void}}
 */
function writeVideoCourse({ slug = "e2e-video", seconds }) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "mist-e2e-course-"));
  const dir = path.join(root, slug);
  try {
    run(["course", "init", dir], "writing the starter course");
    const module = "first-module";
    const lesson = "red-flags";
    const video = "media/intro.wav";
    const moduleToml = path.join(dir, module, "module.toml");
    const source = fs.readFileSync(moduleToml, "utf8");
    // The starter module has one lesson and it is the last table of the file: its video table goes after it.
    const lessons = source.match(/^\[\[lessons\]\]$/gm) || [];
    if (lessons.length !== 1 || !new RegExp(`^slug = "${lesson}"\\s*$`, "m").test(source.split("[[lessons]]")[1])) {
      throw new Error(`the starter module no longer ends with its one lesson "${lesson}"; update this fixture:\n${source}`);
    }
    fs.writeFileSync(
      moduleToml,
      `${source.trimEnd()}\n\n[lessons.video]\nurl = "${video}"\nduration_seconds = ${seconds}\n`,
    );
    fs.mkdirSync(path.join(dir, module, "media"), { recursive: true });
    fs.writeFileSync(path.join(dir, module, video), wav(seconds));
    const check = run(["course", "check", dir], "checking the authored course");
    return { dir, slug, module, lesson, video, seconds, check, remove: () => fs.rmSync(root, { recursive: true, force: true }) };
  } catch (error) {
    fs.rmSync(root, { recursive: true, force: true });
    throw error;
  }
}

module.exports = { wav, writeVideoCourse };
