/*
 * The quiz engine of the MIST SCO: the same rules as mist-core's `quiz` module (draws, shuffles,
 * scoring with partial credit, NFKC short text, pass mark). test/vectors.json, generated from
 * mist-core, holds both implementations to the same results.
 */
(function (root, factory) {
  "use strict";
  const api = factory();
  if (typeof module === "object" && module.exports) {
    module.exports = api;
  } else {
    root.MistQuiz = api;
  }
})(this, function () {
  "use strict";

  const MASK = (1n << 64n) - 1n;
  const U64_MAX = MASK;
  const NUMERIC_EPSILON = 1e-9;
  const PASS_EPSILON = 1e-9;

  /** SplitMix64, bit for bit as in mist-core (BigInt keeps the 64-bit arithmetic exact). */
  class SplitMix64 {
    constructor(seed) {
      this.state = BigInt.asUintN(64, BigInt(seed));
    }

    nextU64() {
      this.state = (this.state + 0x9e3779b97f4a7c15n) & MASK;
      let z = this.state;
      z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK;
      z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK;
      return z ^ (z >> 31n);
    }

    /** A number in 0..bound without modulo bias. */
    below(bound) {
      if (bound <= 1) {
        return 0;
      }
      const big = BigInt(bound);
      const zone = U64_MAX - (U64_MAX % big);
      for (;;) {
        const value = this.nextU64();
        if (value < zone) {
          return Number(value % big);
        }
      }
    }

    /** Fisher–Yates, in place. */
    shuffle(items) {
      for (let i = items.length - 1; i >= 1; i -= 1) {
        const j = this.below(i + 1);
        const kept = items[i];
        items[i] = items[j];
        items[j] = kept;
      }
    }
  }

  /** How many options, items or right-hand sides a question shows in shuffled order. */
  function choiceCount(question) {
    switch (question.type) {
      case "single":
      case "multiple":
        return question.options.length;
      case "ordering":
        return question.items.length;
      case "matching":
        return question.pairs.length;
      default:
        return 0;
    }
  }

  function range(n) {
    return Array.from({ length: n }, (_, i) => i);
  }

  /**
   * Draws an attempt: unseen questions first, `drawByTag` quotas first, then the rest of the pool;
   * returns [{id, display_order}] exactly as mist-core's `draw`.
   */
  function draw(quiz, seed, seen) {
    const seenIds = seen instanceof Set ? seen : new Set(seen || []);
    const rng = new SplitMix64(seed);
    const questions = quiz.questions;
    let candidates = range(questions.length);
    rng.shuffle(candidates);
    // A stable partition, like Rust's stable sort by "seen".
    candidates = candidates
      .filter((i) => !seenIds.has(questions[i].id))
      .concat(candidates.filter((i) => seenIds.has(questions[i].id)));

    const wanted = Math.min(quiz.draw, questions.length);
    const picked = [];
    for (const [tag, quota] of quiz.drawByTag) {
      const tagged = candidates
        .filter((i) => questions[i].tags.includes(tag) && !picked.includes(i))
        .slice(0, quota);
      picked.push(...tagged);
    }
    for (const i of candidates) {
      if (picked.length >= wanted) {
        break;
      }
      if (!picked.includes(i)) {
        picked.push(i);
      }
    }
    picked.length = Math.min(picked.length, wanted);
    rng.shuffle(picked);

    return picked.map((i) => {
      const question = questions[i];
      const count = choiceCount(question);
      const order = range(count);
      rng.shuffle(order);
      const sorted = order.every((value, k) => k === 0 || order[k - 1] < value);
      if (question.type === "ordering" && count > 1 && sorted) {
        order.push(order.shift());
      }
      return { id: question.id, display_order: order };
    });
  }

  /** NFKC, trimmed, inner whitespace collapsed, lower-cased unless case-sensitive. */
  function normalizeText(text, caseSensitive) {
    const collapsed = text
      .normalize("NFKC")
      .split(/\s+/u)
      .filter((part) => part.length > 0)
      .join(" ");
    return caseSensitive ? collapsed : collapsed.toLowerCase();
  }

  /** An answer that does not fit its question. */
  class AnswerError extends Error {}

  function knownUnique(given, known) {
    const seen = new Set();
    for (const id of given) {
      if (!known.includes(id)) {
        throw new AnswerError(`\`${id}\` is not an option of this question`);
      }
      if (seen.has(id)) {
        throw new AnswerError(`\`${id}\` is given twice`);
      }
      seen.add(id);
    }
    return given;
  }

  function allOrNothing(correct) {
    return { points: correct ? 1 : 0, correct };
  }

  const scorers = {
    single(question, value) {
      const ids = knownUnique(value, question.options.map((o) => o.id));
      if (ids.length !== 1) {
        throw new AnswerError(`choose exactly one option, not ${ids.length}`);
      }
      return allOrNothing(question.options.some((o) => o.correct && o.id === ids[0]));
    },
    multiple(question, value) {
      const ids = knownUnique(value, question.options.map((o) => o.id));
      const correctTotal = question.options.filter((o) => o.correct).length;
      const right = question.options.filter((o) => o.correct && ids.includes(o.id)).length;
      const wrong = ids.length - right;
      const points = correctTotal === 0 ? 0 : Math.max(0, right - wrong) / correctTotal;
      return { points, correct: wrong === 0 && right === correctTotal };
    },
    true_false(question, value) {
      return allOrNothing(question.answer === value);
    },
    ordering(question, value) {
      const ids = knownUnique(value, question.items.map((i) => i.id));
      if (ids.length !== question.items.length) {
        throw new AnswerError(`place all ${question.items.length} items, not ${ids.length}`);
      }
      return allOrNothing(question.items.every((item, k) => item.id === ids[k]));
    },
    matching(question, value) {
      const pairIds = question.pairs.map((p) => p.id);
      const lefts = Object.keys(value);
      knownUnique(lefts, pairIds);
      knownUnique(lefts.map((left) => value[left]), pairIds);
      const right = lefts.filter((left) => value[left] === left).length;
      return {
        points: right / Math.max(1, question.pairs.length),
        correct: right === question.pairs.length,
      };
    },
    numeric(question, value) {
      if (!Number.isFinite(value)) {
        throw new AnswerError("the answer is not a finite number");
      }
      return allOrNothing(Math.abs(value - question.answer) <= question.tolerance + NUMERIC_EPSILON);
    },
    short_text(question, value) {
      const given = normalizeText(value, question.caseSensitive);
      return allOrNothing(
        question.accept.some((a) => normalizeText(a, question.caseSensitive) === given),
      );
    },
  };

  /** The answer type each question type takes (mist-core's `Answer` tags). */
  const ANSWER_TYPES = {
    single: "choices",
    multiple: "choices",
    true_false: "bool",
    ordering: "order",
    matching: "matches",
    numeric: "number",
    short_text: "text",
  };

  /** Scores `answer` ({type, value}); throws AnswerError when it does not fit the question. */
  function score(question, answer) {
    if (ANSWER_TYPES[question.type] !== answer.type) {
      throw new AnswerError(`a \`${question.type}\` question cannot take a \`${answer.type}\` answer`);
    }
    return scorers[question.type](question, answer.value);
  }

  /**
   * Grades an attempt like mist-core's AttemptPolicy (no time limit): unanswered questions score 0,
   * answers that do not fit score 0, passed when scaled reaches the pass mark.
   */
  function grade(quiz, drawn, answers) {
    const results = drawn.map((d) => {
      const question = quiz.questions.find((q) => q.id === d.id);
      const answer = answers[d.id];
      let result = { points: 0, correct: false };
      if (answer !== undefined) {
        try {
          result = score(question, answer);
        } catch (error) {
          if (!(error instanceof AnswerError)) {
            throw error;
          }
        }
      }
      return { id: d.id, points: result.points, correct: result.correct, answered: answer !== undefined };
    });
    const raw = results.reduce((sum, r) => sum + r.points, 0);
    const max = results.length;
    const scaled = max > 0 ? Math.min(1, Math.max(0, raw / max)) : 0;
    const passed = max > 0 && scaled + PASS_EPSILON >= quiz.passMark;
    return { raw, max, scaled, passed, questions: results };
  }

  /** A fresh 64-bit seed from the browser's generator (as a decimal string, for suspend_data). */
  function randomSeed(cryptoSource) {
    const words = new Uint32Array(2);
    cryptoSource.getRandomValues(words);
    return ((BigInt(words[0]) << 32n) | BigInt(words[1])).toString();
  }

  return { SplitMix64, draw, score, grade, normalizeText, AnswerError, randomSeed, ANSWER_TYPES };
});
