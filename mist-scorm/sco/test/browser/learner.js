"use strict";
// A simulated learner driving the SCO inside the host page, and the checks on what scorm-again recorded.
const assert = require("node:assert/strict");

/** Opens the host page, starts scorm-again (with `saved` data, if any) and the SCO; waits for a lesson. */
async function launch(page, baseUrl, version, launchPath, saved) {
  await page.goto(`${baseUrl}/host/index.html`);
  await page.evaluate(
    ([v, url, data]) => window.host.launch(v, url, data),
    [version, `/pkg/${version}/${launchPath}`, saved],
  );
  const sco = page.frameLocator("#sco");
  await sco.locator("#page-title").waitFor();
  const frame = () => page.frames().find((f) => f.url().includes("/index.html") && f !== page.mainFrame());

  return {
    statusText: () => sco.locator("#status").evaluate((node) => (node.hidden ? "" : node.textContent)),
    heading: () => sco.locator("#page-title").textContent(),
    currentStep: () => sco.locator('[aria-current="step"]').getAttribute("data-step"),
    readLessonCount: () => frame().evaluate(() => window.MIST_MODULE.lessons.length),
    /** Moves on with the keyboard: focus "next" and press Enter. */
    async next() {
      const before = await this.currentStep();
      await sco.locator("#next").press("Enter");
      await sco.locator(`[aria-current="step"]:not([data-step="${before}"])`).waitFor();
    },
    async takeQuiz(oneWrong) {
      await sco.locator("#start-quiz").click();
      await sco.locator("#quiz-form").waitFor();
      const quiz = await frame().evaluate(() => window.MIST_MODULE.quiz);
      const ids = await sco.locator("fieldset[data-question]").evaluateAll((nodes) => nodes.map((n) => n.dataset.question));
      let wrongId = null;
      for (const id of ids) {
        const question = quiz.questions.find((q) => q.id === id);
        const wrong = oneWrong && wrongId === null && canBeWrong(question);
        if (wrong) {
          wrongId = id;
        }
        await answer(sco.locator(`fieldset[data-question="${id}"]`), question, wrong);
      }
      assert.ok(!oneWrong || wrongId, "a question could be answered wrong");
      await sco.locator("#submit-quiz").click();
      await sco.locator("#quiz-result").waitFor();
      return { ids, wrongId, passMark: quiz.passMark };
    },
    /** Leaves the SCO (its pagehide handler saves and terminates) and waits for Terminate. */
    async leave() {
      await page.evaluate(() => window.host.unload());
      await page.waitForFunction(() => window.host.terminated);
    },
    snapshot: () => page.evaluate(() => window.host.snapshot()),
  };
}

/** Whether a question can be answered for zero points (the expected score stays exact). */
function canBeWrong(question) {
  if (question.type === "multiple") {
    return question.options.some((o) => !o.correct);
  }
  return question.type !== "matching" || question.pairs.length > 1;
}

async function answer(fieldset, question, wrong) {
  switch (question.type) {
    case "single":
    case "multiple":
      for (const option of question.options) {
        if (option.correct !== wrong) {
          await fieldset.locator(`input[value="${option.id}"]`).check();
          if (wrong && question.type === "single") {
            break;
          }
        }
      }
      break;
    case "true_false":
      await fieldset.locator(`input[value="${String(question.answer !== wrong)}"]`).check();
      break;
    case "ordering":
      // The items are never shown in their correct order, so leaving them is a wrong answer.
      if (!wrong) {
        await order(fieldset, question.items.map((item) => item.id));
      }
      break;
    case "matching":
      for (const [k, pair] of question.pairs.entries()) {
        const target = wrong ? question.pairs[(k + 1) % question.pairs.length].id : pair.id;
        await fieldset.locator(`select[data-left="${pair.id}"]`).selectOption(target);
      }
      break;
    case "numeric":
      await fieldset.locator("input").fill(String(wrong ? question.answer + question.tolerance + 1000 : question.answer));
      break;
    default:
      await fieldset.locator("input").fill(wrong ? "certainly not this" : question.accept[0]);
  }
}

/** Puts ordering items in `wanted` order with the move-up buttons. */
async function order(fieldset, wanted) {
  for (const [k, id] of wanted.entries()) {
    for (;;) {
      const current = await fieldset.locator("li[data-item]").evaluateAll((nodes) => nodes.map((n) => n.dataset.item));
      if (current.indexOf(id) <= k) {
        break;
      }
      await fieldset.locator(`li[data-item="${id}"] button[data-move="-1"]`).click();
    }
  }
}

function interactions(cmi) {
  const list = cmi.interactions.childArray || Object.values(cmi.interactions).filter((v) => v && v.id);
  return list;
}

/** The committed data of a learner who went through everything. */
function assertCompleted(version, cmi, outcome) {
  const count = outcome.ids.length;
  const scaled = (count - (outcome.wrongId ? 1 : 0)) / count;
  const passed = scaled + 1e-9 >= outcome.passMark;
  const raw = String(Math.round(scaled * 10000) / 100);
  const recorded = interactions(cmi);
  assert.equal(recorded.length, count, "one interaction per answered question");
  for (const [k, interaction] of recorded.entries()) {
    const id = outcome.ids[k];
    assert.ok(interaction.id.endsWith(id.replace(/[^A-Za-z0-9._-]/g, "_")), `${interaction.id} is ${id}`);
    const right = id !== outcome.wrongId;
    const expected = right ? "correct" : version === "1.2" ? "wrong" : "incorrect";
    assert.equal(interaction.result, expected, `result of ${id}`);
    assert.ok(interaction.correct_responses.childArray?.length || Object.keys(interaction.correct_responses).length);
  }
  if (version === "1.2") {
    assert.equal(cmi.core.lesson_status, passed ? "passed" : "failed");
    assert.equal(cmi.core.score.raw, raw);
    assert.equal(cmi.core.score.max, "100");
    assert.match(cmi.core.session_time, /^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$/);
    assert.notEqual(Number(cmi.core.session_time.split(":")[2]), 0, "session time is not zero");
  } else {
    assert.equal(cmi.completion_status, "completed");
    assert.equal(cmi.success_status, passed ? "passed" : "failed");
    assert.equal(Number(cmi.score.scaled), Math.round(scaled * 10000) / 10000);
    assert.equal(cmi.score.raw, raw);
    assert.equal(cmi.progress_measure, "1");
    assert.match(cmi.session_time, /^PT\d+H\d+M[\d.]+S$/);
    assert.notEqual(cmi.session_time, "PT0H0M0S", "session time is not zero");
  }
  assert.ok(passed, "the learner passed");
}

/** What an LMS stores for a suspended attempt, as scorm-again JSON for the relaunch. */
function resumeData(version, cmi) {
  if (version === "1.2") {
    return {
      location: cmi.core.lesson_location,
      json: {
        cmi: {
          core: { lesson_location: cmi.core.lesson_location, lesson_status: cmi.core.lesson_status, entry: "resume", student_id: "learner-1" },
          suspend_data: cmi.suspend_data,
        },
      },
    };
  }
  return {
    location: cmi.location,
    json: {
      cmi: {
        location: cmi.location,
        completion_status: cmi.completion_status,
        entry: "resume",
        learner_id: "learner-1",
        suspend_data: cmi.suspend_data,
      },
    },
  };
}

module.exports = { launch, assertCompleted, resumeData };
