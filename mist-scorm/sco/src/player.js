/*
 * The MIST SCO: shows a module's lessons and quiz (data from data.js, `window.MIST_MODULE`), tracks
 * progress, and reports it to the LMS through MistScorm. Japanese first, with a language switch.
 */
(function (win) {
  "use strict";

  const data = win.MIST_MODULE;
  const doc = win.document;
  const { MistQuiz: Quiz, MistTracker: Tracker, MistScorm: Scorm, MistQuizView: View } = win;

  const UI = {
    ja: {
      switchTo: "日本語", lesson: "レッスン", quiz: "確認テスト", question: "問",
      true: "正しい", false: "誤り", chooseAll: "当てはまるものをすべて選んでください。",
      orderHint: "ボタンで正しい順に並べ替えてください。", moveUp: "上へ", moveDown: "下へ",
      select: "選択してください", answer: "解答", correct: "正解", wrong: "不正解", partly: "一部正解",
      unanswered: "未回答", start: "テストを開始", submit: "解答を送信", retake: "もう一度受ける",
      quizIntro: (n, mark) => `${n}問出題されます。合格基準は${mark}%です。`,
      best: (score) => `これまでの最高点: ${score}%`,
      result: (score, passed) => `得点 ${score}% — ${passed ? "合格です。" : "不合格です。もう一度挑戦できます。"}`,
      preview: "プレビューモード: LMS が見つからないため、学習記録は保存されません。",
      lmsError: "LMS への記録でエラーが発生しました。", remote: "この動画の再生にはインターネット接続が必要です。",
      external: "（外部サイト）", download: "ダウンロード", watched: (p) => `視聴済み ${p}%`,
      progress: (i, n) => `${i} / ${n}`, prev: "前へ", next: "次へ", steps: "目次", done: "完了",
    },
    en: {
      switchTo: "English", lesson: "Lesson", quiz: "Quiz", question: "Question",
      true: "True", false: "False", chooseAll: "Select all that apply.",
      orderHint: "Use the buttons to put the items in the right order.", moveUp: "Move up", moveDown: "Move down",
      select: "Choose…", answer: "Answer", correct: "Correct", wrong: "Incorrect", partly: "Partly correct",
      unanswered: "Not answered", start: "Start the quiz", submit: "Submit answers", retake: "Try again",
      quizIntro: (n, mark) => `${n} questions. The pass mark is ${mark}%.`,
      best: (score) => `Your best score so far: ${score}%`,
      result: (score, passed) => `Score ${score}% — ${passed ? "passed." : "not passed. You can try again."}`,
      preview: "Preview mode: no LMS was found, so progress is not recorded.",
      lmsError: "The LMS reported an error while saving.", remote: "This video needs an internet connection.",
      external: "(external site)", download: "Download", watched: (p) => `Watched ${p}%`,
      progress: (i, n) => `${i} / ${n}`, prev: "Previous", next: "Next", steps: "Contents", done: "done",
    },
  };

  const started = Date.now();
  const lms = Scorm.connect(data.scorm, win);
  lms.initialize();
  const state = Tracker.decodeState(lms.get("suspendData"), data.lessons.length);
  const hasQuiz = Boolean(data.quiz);
  const stepCount = data.lessons.length + (hasQuiz ? 1 : 0);
  const preferred = lms.get("language").slice(0, 2).toLowerCase();
  let lang = [state.lang, preferred].find((l) => data.languages.includes(l)) || data.languages[0];
  state.page = Math.min(state.page, Math.max(0, stepCount - 1));
  let attempt = null;

  const t = (key, ...args) => {
    const entry = (UI[lang] || UI.en)[key];
    return typeof entry === "function" ? entry(...args) : entry;
  };
  const $ = (id) => doc.getElementById(id);
  const el = (tag, attributes, children) => {
    const node = doc.createElement(tag);
    for (const [key, value] of Object.entries(attributes || {})) {
      if (key === "text") {
        node.textContent = value;
      } else if (key === "html") {
        node.innerHTML = value; // rendered and sanitized by mist-core at export time
      } else {
        node.setAttribute(key, value);
      }
    }
    (children || []).forEach((child) => node.appendChild(child));
    return node;
  };

  function videoDone(index) {
    const video = data.lessons[index].blocks.find((b) => b.type === "video");
    return !video || (state.watched[index] || 0) >= video.duration * 0.9;
  }

  function summary() {
    const lessonsDone = data.lessons.filter((_, i) => state.visited[i] && videoDone(i)).length;
    return { lessonsDone, lessonsTotal: data.lessons.length, hasQuiz, attempts: state.attempts, best: state.best, passed: state.passed };
  }

  function finishedModule() {
    const s = summary();
    return s.lessonsDone === s.lessonsTotal && (!hasQuiz || state.passed);
  }

  /** Writes progress to the LMS; `milestone` commits. */
  function save(milestone) {
    if (lms.finished) {
      return;
    }
    state.lang = lang;
    lms.set("location", state.page < data.lessons.length ? `lesson-${state.page + 1}` : "quiz");
    lms.set("suspendData", Tracker.encodeState(state, data.scorm));
    for (const [name, value] of Tracker.statusWrites(data.scorm, summary())) {
      lms.set(name, value);
    }
    lms.set("sessionTime", Tracker.sessionTime(data.scorm, Date.now() - started));
    let exit = "suspend";
    if (finishedModule()) {
      exit = data.scorm === "1.2" ? "" : "normal";
    }
    lms.set("exit", exit);
    if (milestone) {
      lms.commit();
    }
    showStatus();
  }

  function showStatus() {
    let text = "";
    if (lms.preview) {
      text = t("preview");
    } else if (lms.errors.length > 0) {
      text = t("lmsError");
    }
    $("status").textContent = text;
    $("status").hidden = text === "";
  }

  function stepTitle(index) {
    return index < data.lessons.length ? data.lessons[index].title[lang] : t("quiz");
  }

  function renderSteps() {
    const list = el("ol");
    for (let i = 0; i < stepCount; i += 1) {
      const done = i < data.lessons.length ? state.visited[i] && videoDone(i) : state.passed;
      const button = el("button", { type: "button", "data-step": String(i), text: stepTitle(i) + (done ? " ✓" : "") });
      if (i === state.page) {
        button.setAttribute("aria-current", "step");
      }
      button.addEventListener("click", () => go(i));
      list.appendChild(el("li", {}, [button]));
    }
    $("steps").setAttribute("aria-label", t("steps"));
    $("steps").replaceChildren(list);
  }

  function renderBlock(block, index) {
    switch (block.type) {
      case "html":
        return el("div", { class: "text", html: block.html[lang] });
      case "video":
        return renderVideo(block, index);
      case "download":
        return el("p", { class: "download" }, [el("a", { href: block.href, download: "", text: `${t("download")}: ${block.title[lang]}` })]);
      default:
        return el("p", { class: "link" }, [
          el("a", { href: block.href, target: "_blank", rel: "noopener noreferrer", text: block.title[lang] }),
          doc.createTextNode(` ${t("external")}`),
        ]);
    }
  }

  function renderVideo(block, index) {
    const video = el("video", { controls: "", preload: "metadata", src: block.src });
    for (const caption of block.captions) {
      video.appendChild(el("track", { kind: "captions", srclang: caption.lang, src: caption.src, label: caption.lang }));
    }
    const meter = el("p", { class: "watched", "aria-live": "polite" });
    const update = () => {
      meter.textContent = t("watched", Math.min(100, Math.round((100 * (state.watched[index] || 0)) / block.duration)));
    };
    let last = 0;
    video.addEventListener("timeupdate", () => {
      const delta = video.currentTime - last;
      last = video.currentTime;
      // Only continuous playback counts; a seek forward is not watching.
      if (delta > 0 && delta < 2) {
        const before = videoDone(index);
        state.watched[index] = Math.round(((state.watched[index] || 0) + delta) * 10) / 10;
        update();
        if (!before && videoDone(index)) {
          save(true);
          renderSteps();
        }
      }
    });
    update();
    const parts = [video, meter];
    if (block.remote) {
      parts.unshift(el("p", { class: "note", text: t("remote") }));
    }
    return el("div", { class: "video" }, parts);
  }

  function renderLesson(index) {
    const lesson = data.lessons[index];
    const main = $("main");
    main.replaceChildren(el("h2", { id: "page-title", tabindex: "-1", text: lesson.title[lang] }), ...lesson.blocks.map((b) => renderBlock(b, index)));
  }

  function percent(scaled) {
    return Math.round(scaled * 10000) / 100;
  }

  function renderQuizStart() {
    const quiz = data.quiz;
    const parts = [el("h2", { id: "page-title", tabindex: "-1", text: t("quiz") }), el("p", { text: t("quizIntro", quiz.draw, percent(quiz.passMark)) })];
    if (state.best !== null) {
      parts.push(el("p", { class: "best", text: t("best", percent(state.best)) }));
    }
    const start = el("button", { type: "button", id: "start-quiz", class: "primary", text: state.attempts > 0 ? t("retake") : t("start") });
    start.addEventListener("click", () => {
      state.seed = Quiz.randomSeed(win.crypto);
      save(true);
      renderQuiz();
    });
    parts.push(start);
    $("main").replaceChildren(...parts);
  }

  function renderQuiz() {
    const quiz = data.quiz;
    const drawn = Quiz.draw(quiz, state.seed, new Set(state.seen));
    const form = el("form", { id: "quiz-form", novalidate: "" });
    attempt = drawn.map((d, k) => {
      const question = quiz.questions.find((q) => q.id === d.id);
      const fieldset = View.render(doc, question, d, k + 1, lang, t);
      form.appendChild(fieldset);
      return { drawn: d, question, fieldset };
    });
    form.appendChild(el("button", { type: "submit", id: "submit-quiz", class: "primary", text: t("submit") }));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      submitQuiz(drawn);
    });
    $("main").replaceChildren(el("h2", { id: "page-title", tabindex: "-1", text: t("quiz") }), form);
  }

  function submitQuiz(drawn) {
    const answers = {};
    for (const { question, fieldset } of attempt) {
      const answer = View.collect(fieldset, question);
      if (answer !== undefined) {
        answers[question.id] = answer;
      }
    }
    const result = Quiz.grade(data.quiz, drawn, answers);
    let index = Number(lms.get("interactionCount")) || 0;
    const time = new Date();
    state.attempts += 1;
    attempt.forEach(({ question, fieldset }, k) => {
      const answer = answers[question.id];
      View.showResult(doc, fieldset, question, result.questions[k], answer, lang, t);
      if (answer === undefined) {
        return;
      }
      const plain = el("div", { html: question.prompt[lang] }).textContent.trim();
      const context = { prefix: `a${state.attempts}-`, time, description: plain };
      for (const [element, value] of Tracker.interactionWrites(data.scorm, index, question, answer, result.questions[k], context)) {
        lms.set(element, value);
      }
      index += 1;
    });
    state.best = state.best === null ? result.scaled : Math.max(state.best, result.scaled);
    state.passed = state.passed || result.passed;
    state.seen = Array.from(new Set(state.seen.concat(drawn.map((d) => d.id))));
    state.seed = null;
    attempt = null;
    save(true);
    const form = $("quiz-form");
    form.querySelector("#submit-quiz").remove();
    const verdict = el("p", { id: "quiz-result", class: result.passed ? "passed" : "failed", tabindex: "-1", text: t("result", percent(result.scaled), result.passed) });
    const again = el("button", { type: "button", id: "retake-quiz", text: t("retake") });
    again.addEventListener("click", () => renderQuizStart());
    form.prepend(verdict);
    form.appendChild(again);
    verdict.focus();
    renderSteps();
  }

  function render(focus) {
    doc.documentElement.lang = lang;
    $("course-title").textContent = data.course.title[lang];
    $("module-title").textContent = data.module.title[lang];
    doc.title = data.module.title[lang];
    const other = data.languages[(data.languages.indexOf(lang) + 1) % data.languages.length];
    $("lang-switch").textContent = (UI[other] || UI.en).switchTo;
    $("lang-switch").lang = other;
    $("lang-switch").hidden = data.languages.length < 2;
    $("prev").textContent = `◀ ${t("prev")}`;
    $("next").textContent = `${t("next")} ▶`;
    $("prev").disabled = state.page === 0;
    $("next").disabled = state.page >= stepCount - 1;
    $("progress").textContent = t("progress", state.page + 1, stepCount);
    if (state.page < data.lessons.length) {
      renderLesson(state.page);
    } else if (state.seed) {
      renderQuiz();
    } else {
      renderQuizStart();
    }
    renderSteps();
    showStatus();
    if (focus) {
      $("page-title").focus();
    }
  }

  function go(page) {
    if (page < 0 || page >= stepCount) {
      return;
    }
    state.page = page;
    if (page < data.lessons.length) {
      state.visited[page] = true;
    }
    render(true);
    save(true);
  }

  function leave() {
    save(false);
    lms.finish();
  }

  $("prev").addEventListener("click", () => go(state.page - 1));
  $("next").addEventListener("click", () => go(state.page + 1));
  $("lang-switch").addEventListener("click", () => {
    lang = data.languages[(data.languages.indexOf(lang) + 1) % data.languages.length];
    render(false);
    save(false);
  });
  doc.addEventListener("visibilitychange", () => {
    if (doc.visibilityState === "hidden") {
      save(true);
    }
  });
  win.addEventListener("pagehide", leave);
  win.addEventListener("beforeunload", leave);

  go(state.page);
  win.MistPlayer = { save, leave, state, lms };
})(window);
