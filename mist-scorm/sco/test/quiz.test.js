"use strict";
// The SCO's quiz engine against vectors computed by mist-core (see tests/export/vectors.rs).
const test = require("node:test");
const assert = require("node:assert/strict");
const vectors = require("./vectors.json");
const { SplitMix64, draw, score, grade, normalizeText, AnswerError, randomSeed } = require("../src/quiz.js");

test("SplitMix64 gives mist-core's sequence", () => {
  for (const { seed, next } of vectors.rng.next) {
    const rng = new SplitMix64(seed);
    assert.deepEqual(next.map(() => rng.nextU64().toString()), next, `seed ${seed}`);
  }
  for (const { seed, bound, values } of vectors.rng.below) {
    const rng = new SplitMix64(seed);
    assert.deepEqual(values.map(() => rng.below(bound)), values, `seed ${seed} bound ${bound}`);
  }
});

test("draws and shuffles match mist-core", () => {
  assert.ok(vectors.draws.length >= 10);
  for (const { seed, seen, drawn } of vectors.draws) {
    assert.deepEqual(draw(vectors.quiz, seed, new Set(seen)), drawn, `seed ${seed}, seen ${seen}`);
  }
});

test("an ordering is never shown in its correct order", () => {
  const quiz = { ...vectors.quiz, draw: vectors.quiz.questions.length, drawByTag: [] };
  for (let seed = 0; seed < 300; seed += 1) {
    const ordering = draw(quiz, seed, new Set()).find((d) => d.id === "ordering");
    assert.notDeepEqual(ordering.display_order, [0, 1, 2, 3], `seed ${seed}`);
  }
});

test("scores match mist-core, partial credit and NFKC included", () => {
  for (const { question: id, answer, expected } of vectors.scores) {
    const question = vectors.quiz.questions.find((q) => q.id === id);
    const label = `${id} ${JSON.stringify(answer)}`;
    if (expected.error) {
      assert.throws(() => score(question, answer), AnswerError, label);
    } else {
      const result = score(question, answer);
      assert.equal(result.correct, expected.correct, label);
      assert.ok(Math.abs(result.points - expected.points) < 1e-12, `${label}: ${result.points}`);
    }
  }
});

test("graded attempts match mist-core", () => {
  for (const { seed, answers, raw, max, scaled, passed } of vectors.grades) {
    const drawn = draw(vectors.quiz, seed, new Set());
    const result = grade(vectors.quiz, drawn, answers);
    assert.ok(Math.abs(result.raw - raw) < 1e-12, `seed ${seed}: raw ${result.raw} vs ${raw}`);
    assert.equal(result.max, max);
    assert.ok(Math.abs(result.scaled - scaled) < 1e-12);
    assert.equal(result.passed, passed, `seed ${seed}`);
    assert.equal(result.questions.filter((q) => !q.answered).length, 1);
  }
});

test("text is normalized like mist-core", () => {
  for (const { text, caseSensitive, expected } of vectors.normalize) {
    assert.equal(normalizeText(text, caseSensitive), expected, JSON.stringify(text));
  }
});

test("random seeds are 64-bit decimal strings", () => {
  const fake = { getRandomValues: (words) => words.fill(0xffffffff) };
  assert.equal(randomSeed(fake), "18446744073709551615");
});
