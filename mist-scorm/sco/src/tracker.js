/*
 * What the SCO reports to the LMS, as pure functions: statuses and score, interactions with their
 * correct-response patterns per SCORM version, session time, and the compact suspend_data.
 */
(function (root, factory) {
  "use strict";
  const api = factory();
  if (typeof module === "object" && module.exports) {
    module.exports = api;
  } else {
    root.MistTracker = api;
  }
})(this, function () {
  "use strict";

  /** SCORM 1.2 caps suspend_data at 4,096 characters; stay clear of it. */
  const SUSPEND_LIMIT_12 = 4000;
  /** 1.2 CMIFeedback and 2004 fill-in responses: 255 and 250 characters. */
  const RESPONSE_LIMIT = { "1.2": 255, "2004": 250 };
  /** 2004 correct_responses for fill-in: the smallest count an LMS must keep. */
  const FILL_IN_PATTERNS_2004 = 5;

  const INTERACTION_TYPES = {
    single: "choice",
    multiple: "choice",
    true_false: "true-false",
    ordering: "sequencing",
    matching: "matching",
    numeric: "numeric",
    short_text: "fill-in",
  };

  function pad(value, width) {
    return String(value).padStart(width, "0");
  }

  /** 1.2 CMITimespan `HH[HH]:MM:SS.SS`. */
  function timespan12(ms) {
    const centis = Math.min(Math.round(Math.max(0, ms) / 10), 9999 * 360000 + 359999);
    const hours = Math.floor(centis / 360000);
    const minutes = Math.floor((centis % 360000) / 6000);
    const seconds = (centis % 6000) / 100;
    return `${pad(hours, 2)}:${pad(minutes, 2)}:${seconds.toFixed(2).padStart(5, "0")}`;
  }

  /** 2004 timeinterval `PT#H#M#S` (seconds with up to two decimals). */
  function duration2004(ms) {
    const centis = Math.round(Math.max(0, ms) / 10);
    const hours = Math.floor(centis / 360000);
    const minutes = Math.floor((centis % 360000) / 6000);
    const seconds = (centis % 6000) / 100;
    return `PT${hours}H${minutes}M${Number(seconds.toFixed(2))}S`;
  }

  function sessionTime(version, ms) {
    return version === "1.2" ? timespan12(ms) : duration2004(ms);
  }

  /** 1.2 CMITime `HH:MM:SS`, or 2004 `YYYY-MM-DDThh:mm:ss`, in local time. */
  function timestamp(version, date) {
    const time = `${pad(date.getHours(), 2)}:${pad(date.getMinutes(), 2)}:${pad(date.getSeconds(), 2)}`;
    if (version === "1.2") {
      return time;
    }
    return `${date.getFullYear()}-${pad(date.getMonth() + 1, 2)}-${pad(date.getDate(), 2)}T${time}`;
  }

  /** A number without float noise (`0.1 + 0.2` → `0.3`). */
  function decimal(value) {
    return String(Number(value.toFixed(7)));
  }

  /** Identifiers in interactions: letters, digits, `-`, `_` and `.` (valid in 1.2 and 2004). */
  function identifier(text) {
    return String(text).replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 250) || "_";
  }

  /** 2004 reserves `[,]`, `[.]`, `[:]` and `{…}` prefixes as delimiters; keep typed text clear of them. */
  function plainText(text, limit) {
    return text
      .replace(/\[[,.:]\]/g, " ")
      .replace(/^\{/, "(")
      .slice(0, limit);
  }

  /** The correct-response patterns of a question, in the notation of `version`. */
  function correctPatterns(version, question) {
    const v12 = version === "1.2";
    const list = (ids) => ids.map(identifier).join(v12 ? "," : "[,]");
    switch (question.type) {
      case "single":
      case "multiple":
        return [list(question.options.filter((o) => o.correct).map((o) => o.id))];
      case "true_false":
        return [v12 ? (question.answer ? "t" : "f") : String(question.answer)];
      case "ordering":
        return [list(question.items.map((i) => i.id))];
      case "matching": {
        const join = v12 ? "." : "[.]";
        return [
          question.pairs
            .map((p) => `${identifier(p.id)}${join}${identifier(p.id)}`)
            .join(v12 ? "," : "[,]"),
        ];
      }
      case "numeric":
        if (v12) {
          return [decimal(question.answer)];
        }
        return [`${decimal(question.answer - question.tolerance)}[:]${decimal(question.answer + question.tolerance)}`];
      case "short_text":
        if (v12) {
          return [plainText(question.accept[0] || "", RESPONSE_LIMIT["1.2"])];
        }
        return question.accept
          .slice(0, FILL_IN_PATTERNS_2004)
          .map((a) => `{case_matters=${question.caseSensitive}}${plainText(a, RESPONSE_LIMIT["2004"])}`);
      default:
        return [];
    }
  }

  /** The learner's answer in the notation of `version`. */
  function learnerResponse(version, question, answer) {
    const v12 = version === "1.2";
    const list = (ids) => ids.map(identifier).join(v12 ? "," : "[,]");
    switch (answer.type) {
      case "choices":
      case "order":
        return list(answer.value);
      case "bool":
        return v12 ? (answer.value ? "t" : "f") : String(answer.value);
      case "matches":
        return Object.keys(answer.value)
          .map((left) => `${identifier(left)}${v12 ? "." : "[.]"}${identifier(answer.value[left])}`)
          .join(v12 ? "," : "[,]");
      case "number":
        return decimal(answer.value);
      default:
        return plainText(String(answer.value), RESPONSE_LIMIT[version]);
    }
  }

  /** The SetValue calls that record one answered question as interaction `index`. */
  function interactionWrites(version, index, question, answer, result, context) {
    const base = `cmi.interactions.${index}`;
    const writes = [
      [`${base}.id`, identifier(`${context.prefix}${question.id}`)],
      [`${base}.type`, INTERACTION_TYPES[question.type]],
    ];
    if (version !== "1.2" && context.description) {
      writes.push([`${base}.description`, context.description.slice(0, 250)]);
    }
    correctPatterns(version, question).forEach((pattern, n) => {
      writes.push([`${base}.correct_responses.${n}.pattern`, pattern]);
    });
    writes.push([`${base}.weighting`, "1"]);
    if (version === "1.2") {
      writes.push([`${base}.student_response`, learnerResponse(version, question, answer)]);
      writes.push([`${base}.result`, result.correct ? "correct" : "wrong"]);
      writes.push([`${base}.time`, timestamp(version, context.time)]);
    } else {
      writes.push([`${base}.learner_response`, learnerResponse(version, question, answer)]);
      writes.push([`${base}.result`, result.correct ? "correct" : "incorrect"]);
      writes.push([`${base}.timestamp`, timestamp(version, context.time)]);
    }
    return writes;
  }

  /**
   * Status, score and progress from a summary {lessonsDone, lessonsTotal, hasQuiz, attempts, best,
   * passed}: 1.2 lesson_status, or 2004 completion, success and progress_measure. Completed means every
   * lesson seen and, when there is a quiz, at least one attempt submitted; the score is the best attempt.
   */
  function statusWrites(version, summary) {
    const quizDone = !summary.hasQuiz || summary.attempts > 0;
    const steps = summary.lessonsTotal + (summary.hasQuiz ? 1 : 0);
    const done = summary.lessonsDone + (summary.hasQuiz && summary.attempts > 0 ? 1 : 0);
    const completed = summary.lessonsDone >= summary.lessonsTotal && quizDone;
    const writes = [];
    const scored = summary.hasQuiz && summary.attempts > 0;
    if (scored) {
      writes.push(["scoreMin", "0"], ["scoreMax", "100"]);
      writes.push(["scoreRaw", decimal(Math.round(summary.best * 10000) / 100)]);
    }
    if (version === "1.2") {
      let status = completed ? "completed" : "incomplete";
      if (scored) {
        status = summary.passed ? "passed" : "failed";
      }
      writes.push(["lessonStatus", status]);
      return writes;
    }
    if (scored) {
      writes.push(["scoreScaled", decimal(Math.round(summary.best * 10000) / 10000)]);
    }
    writes.push(["completionStatus", completed ? "completed" : "incomplete"]);
    let success = "unknown";
    if (scored) {
      success = summary.passed ? "passed" : "failed";
    }
    writes.push(["successStatus", success]);
    writes.push(["progressMeasure", decimal(steps === 0 ? 1 : done / steps)]);
    return writes;
  }

  /** Packs the learner's state into suspend_data: short keys, bit strings, no whitespace. */
  function encodeState(state, version) {
    const packed = {
      v: 1,
      p: state.page,
      l: state.visited.map((seen) => (seen ? "1" : "0")).join(""),
      g: state.lang,
      a: state.attempts,
    };
    if (state.best !== null) {
      packed.b = Math.round(state.best * 10000) / 10000;
    }
    if (state.passed) {
      packed.k = 1;
    }
    if (state.seen.length > 0) {
      packed.s = state.seen.join(",");
    }
    if (state.seed) {
      packed.c = state.seed;
    }
    if (Object.keys(state.watched).length > 0) {
      packed.w = state.watched;
    }
    let text = JSON.stringify(packed);
    if (version === "1.2" && text.length > SUSPEND_LIMIT_12) {
      // Which questions were seen only steers draws; progress and results must survive.
      delete packed.s;
      delete packed.w;
      text = JSON.stringify(packed);
    }
    return text;
  }

  /** The inverse of encodeState; anything unreadable gives a fresh state. */
  function decodeState(text, lessonCount) {
    const fresh = {
      page: 0,
      visited: Array(lessonCount).fill(false),
      lang: null,
      attempts: 0,
      best: null,
      passed: false,
      seen: [],
      seed: null,
      watched: {},
    };
    let packed;
    try {
      packed = JSON.parse(text);
    } catch {
      return fresh;
    }
    if (!packed || packed.v !== 1) {
      return fresh;
    }
    const bits = typeof packed.l === "string" ? packed.l : "";
    return {
      page: Number.isInteger(packed.p) && packed.p >= 0 ? packed.p : 0,
      visited: fresh.visited.map((_, i) => bits[i] === "1"),
      lang: typeof packed.g === "string" ? packed.g : null,
      attempts: Number.isInteger(packed.a) ? packed.a : 0,
      best: typeof packed.b === "number" ? packed.b : null,
      passed: packed.k === 1,
      seen: typeof packed.s === "string" && packed.s ? packed.s.split(",") : [],
      seed: typeof packed.c === "string" ? packed.c : null,
      watched: packed.w && typeof packed.w === "object" ? packed.w : {},
    };
  }

  return {
    sessionTime,
    timestamp,
    correctPatterns,
    learnerResponse,
    interactionWrites,
    statusWrites,
    encodeState,
    decodeState,
    INTERACTION_TYPES,
  };
});
