"use strict";
// Answers a quiz page correctly from the built-in series' answer keys (quiz.toml).
const fs = require("node:fs");
const path = require("node:path");
const assert = require("node:assert/strict");
const TOML = require("smol-toml");
const { SERIES_DIR } = require("./env.js");

/** The questions of a quiz.toml file, by id. */
function answerKeyFile(file) {
  if (!fs.existsSync(file)) {
    throw new Error(`no answer key at ${file}`);
  }
  const quiz = TOML.parse(fs.readFileSync(file, "utf8"));
  return new Map((quiz.questions || []).map((q) => [q.id, q]));
}

/** The questions of a module of the built-in series (or of the course directory `courseDir`), by id. */
function answerKey(course, module, courseDir = path.join(SERIES_DIR, course)) {
  const file = path.join(courseDir, module, "quiz.toml");
  if (!fs.existsSync(file)) {
    throw new Error(`no answer key at ${file} (course "${course}", module "${module}")`);
  }
  return answerKeyFile(file);
}

/** The modules of a course of the built-in series, in order. */
function courseModules(course) {
  const file = path.join(SERIES_DIR, course, "course.toml");
  return TOML.parse(fs.readFileSync(file, "utf8")).modules;
}

/** The lesson count of a module of the built-in series. */
function lessonCount(course, module) {
  const file = path.join(SERIES_DIR, course, module, "module.toml");
  return TOML.parse(fs.readFileSync(file, "utf8")).lessons.length;
}

/**
 * Fills every drawn question on the quiz page with the right answer, the way a person would (clicks,
 * typing, choosing). Returns the number of questions answered. `key`: the answer key (by default the
 * built-in series' one for this course and module).
 */
async function answerCorrectly(page, course, module, key = answerKey(course, module)) {
  const names = await page.$$eval("form [name^='q.']", (fields) => [...new Set(fields.map((f) => f.name))]);
  const ids = [...new Set(names.map((name) => name.split(".")[1]))];
  assert.ok(ids.length > 0, "the quiz page shows questions");
  for (const id of ids) {
    const q = key.get(id);
    assert.ok(q, `question "${id}" on the page is in ${course}/${module}/quiz.toml`);
    const field = (name) => page.locator(`form [name="${name}"]`);
    switch (q.type) {
      case "single":
      case "multiple":
        for (const option of q.options.filter((o) => o.correct)) {
          await page.locator(`form input[name="q.${id}"][value="${option.id}"]`).check();
        }
        break;
      case "true_false":
        await page.locator(`form input[name="q.${id}"][value="${String(q.answer)}"]`).check();
        break;
      case "numeric":
        await field(`q.${id}`).fill(String(q.answer));
        break;
      case "short_text":
        await field(`q.${id}`).fill(q.accept[0]);
        break;
      case "ordering":
        for (const [position, item] of q.items.entries()) {
          await field(`q.${id}.${position}`).selectOption(item.id);
        }
        break;
      case "matching":
        for (const pair of q.pairs) {
          await field(`q.${id}.${pair.id}`).selectOption(pair.id);
        }
        break;
      default:
        throw new Error(`question "${id}" has a type this test cannot answer: ${q.type}`);
    }
  }
  return ids.length;
}

module.exports = { answerKey, answerCorrectly, courseModules, lessonCount };
