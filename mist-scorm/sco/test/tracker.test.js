"use strict";
// What the SCO reports: patterns and responses per question type and version, statuses, times and
// suspend_data.
const test = require("node:test");
const assert = require("node:assert/strict");
const vectors = require("./vectors.json");
const T = require("../src/tracker.js");

const question = (id) => vectors.quiz.questions.find((q) => q.id === id);

const CASES = [
  // [question, answer, 1.2 pattern, 1.2 response, 2004 pattern, 2004 response]
  ["single", { type: "choices", value: ["b"] }, "b", "b", "b", "b"],
  ["multiple", { type: "choices", value: ["a", "c"] }, "a,b,d", "a,c", "a[,]b[,]d", "a[,]c"],
  ["true-false", { type: "bool", value: true }, "f", "t", "false", "true"],
  ["ordering", { type: "order", value: ["second", "first", "third", "fourth"] },
    "first,second,third,fourth", "second,first,third,fourth",
    "first[,]second[,]third[,]fourth", "second[,]first[,]third[,]fourth"],
  ["matching", { type: "matches", value: { p1: "p2", p2: "p1" } },
    "p1.p1,p2.p2,p3.p3", "p1.p2,p2.p1", "p1[.]p1[,]p2[.]p2[,]p3[.]p3", "p1[.]p2[,]p2[.]p1"],
  ["numeric", { type: "number", value: 72.25 }, "72", "72.25", "71.5[:]72.5", "72.25"],
];

test("correct-response patterns and learner responses follow each version's notation", () => {
  for (const [id, answer, p12, r12, p04, r04] of CASES) {
    const q = question(id);
    assert.deepEqual(T.correctPatterns("1.2", q), [p12], `${id} 1.2 pattern`);
    assert.equal(T.learnerResponse("1.2", q, answer), r12, `${id} 1.2 response`);
    assert.deepEqual(T.correctPatterns("2004", q), [p04], `${id} 2004 pattern`);
    assert.equal(T.learnerResponse("2004", q, answer), r04, `${id} 2004 response`);
  }
});

test("fill-in patterns carry case_matters in 2004 and one pattern per accepted answer", () => {
  assert.deepEqual(T.correctPatterns("2004", question("short-text")), [
    "{case_matters=false}ＶＰＮ 装置",
    "{case_matters=false}vpn",
  ]);
  assert.deepEqual(T.correctPatterns("2004", question("short-case")), ["{case_matters=true}PHI"]);
  assert.deepEqual(T.correctPatterns("1.2", question("short-text")), ["ＶＰＮ 装置"]);
  const typed = { type: "text", value: "{a}[,]b".padEnd(400, "x") };
  const response = T.learnerResponse("2004", question("short-text"), typed);
  assert.equal(response.length, 250);
  assert.ok(!response.includes("[,]") && !response.startsWith("{"), response);
  assert.equal(T.learnerResponse("1.2", question("short-text"), typed).length, 255);
});

test("an interaction is id and type first, then patterns, response, result and time", () => {
  const time = new Date(2026, 3, 1, 9, 5, 7);
  const result = { points: 0, correct: false };
  const answer = { type: "choices", value: ["a"] };
  const context = { prefix: "a1-", time, description: "Which one?" };
  const w12 = T.interactionWrites("1.2", 3, question("single"), answer, result, context);
  assert.deepEqual(w12, [
    ["cmi.interactions.3.id", "a1-single"],
    ["cmi.interactions.3.type", "choice"],
    ["cmi.interactions.3.correct_responses.0.pattern", "b"],
    ["cmi.interactions.3.weighting", "1"],
    ["cmi.interactions.3.student_response", "a"],
    ["cmi.interactions.3.result", "wrong"],
    ["cmi.interactions.3.time", "09:05:07"],
  ]);
  const w04 = T.interactionWrites("2004", 0, question("single"), answer, { points: 1, correct: true }, context);
  assert.deepEqual(w04.slice(0, 3), [
    ["cmi.interactions.0.id", "a1-single"],
    ["cmi.interactions.0.type", "choice"],
    ["cmi.interactions.0.description", "Which one?"],
  ]);
  assert.deepEqual(w04.slice(-3), [
    ["cmi.interactions.0.learner_response", "a"],
    ["cmi.interactions.0.result", "correct"],
    ["cmi.interactions.0.timestamp", "2026-04-01T09:05:07"],
  ]);
  const typed = T.interactionWrites("2004", 0, question("short-text"), { type: "text", value: "vpn" }, result, context);
  assert.equal(typed.filter(([k]) => k.includes("correct_responses")).length, 2);
  const odd = T.interactionWrites("1.2", 0, { ...question("single"), id: "what is?" }, answer, result, context);
  assert.equal(odd[0][1], "a1-what_is_");
});

test("every question type has an interaction type in both vocabularies", () => {
  const types = new Set(Object.values(T.INTERACTION_TYPES));
  assert.deepEqual([...types].sort(), ["choice", "fill-in", "matching", "numeric", "sequencing", "true-false"]);
});

test("statuses: 1.2 lesson_status, 2004 completion, success and progress", () => {
  const base = { lessonsDone: 1, lessonsTotal: 3, hasQuiz: true, attempts: 0, best: null, passed: false };
  assert.deepEqual(T.statusWrites("1.2", base), [["lessonStatus", "incomplete"]]);
  assert.deepEqual(T.statusWrites("2004", base), [
    ["completionStatus", "incomplete"], ["successStatus", "unknown"], ["progressMeasure", "0.25"],
  ]);
  const passed = { ...base, lessonsDone: 3, attempts: 2, best: 0.8, passed: true };
  assert.deepEqual(T.statusWrites("1.2", passed), [
    ["scoreMin", "0"], ["scoreMax", "100"], ["scoreRaw", "80"], ["lessonStatus", "passed"],
  ]);
  assert.deepEqual(T.statusWrites("2004", passed), [
    ["scoreMin", "0"], ["scoreMax", "100"], ["scoreRaw", "80"], ["scoreScaled", "0.8"],
    ["completionStatus", "completed"], ["successStatus", "passed"], ["progressMeasure", "1"],
  ]);
  const failed = { ...passed, best: 2 / 3, passed: false };
  assert.deepEqual(T.statusWrites("1.2", failed).slice(-2), [["scoreRaw", "66.67"], ["lessonStatus", "failed"]]);
  const noQuiz = { lessonsDone: 2, lessonsTotal: 2, hasQuiz: false, attempts: 0, best: null, passed: false };
  assert.deepEqual(T.statusWrites("1.2", noQuiz), [["lessonStatus", "completed"]]);
});

test("session times are 1.2 timespans and 2004 durations", () => {
  assert.equal(T.sessionTime("1.2", 0), "00:00:00.00");
  assert.equal(T.sessionTime("1.2", 3723456), "01:02:03.46");
  assert.equal(T.sessionTime("1.2", 123 * 3600 * 1000), "123:00:00.00");
  assert.equal(T.sessionTime("2004", 3723456), "PT1H2M3.46S");
  assert.equal(T.sessionTime("2004", 5000), "PT0H0M5S");
  assert.match(T.sessionTime("1.2", 1e12), /^9999:59:59\.99$/);
});

test("suspend_data round-trips, stays compact, and survives garbage", () => {
  const state = {
    page: 2, visited: [true, true, false], lang: "en", attempts: 1, best: 0.6, passed: false,
    seen: ["single", "numeric"], seed: "18446744073709551615", watched: { 1: 42.5 },
  };
  const text = T.encodeState(state, "1.2");
  assert.ok(text.length < 200, text);
  assert.deepEqual(T.decodeState(text, 3), { ...state, watched: { 1: 42.5 } });
  const fresh = T.decodeState("not json", 2);
  assert.deepEqual(fresh.visited, [false, false]);
  assert.equal(fresh.page, 0);
  assert.equal(T.decodeState("", 1).attempts, 0);
  assert.equal(T.decodeState('{"v":2}', 1).page, 0);
});

test("1.2 suspend_data stays under 4,096 characters with a huge question pool", () => {
  const state = {
    page: 0, visited: Array(40).fill(true), lang: "ja", attempts: 9, best: 1, passed: true,
    seen: Array.from({ length: 400 }, (_, i) => `question-number-${i}`), seed: null, watched: {},
  };
  const text = T.encodeState(state, "1.2");
  assert.ok(text.length < 4096, `${text.length}`);
  const back = T.decodeState(text, 40);
  assert.equal(back.passed, true);
  assert.equal(back.attempts, 9);
  assert.ok(T.encodeState(state, "2004").length > 4096, "2004 allows 64,000 characters");
});
