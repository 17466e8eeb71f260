/*
 * MIST SCORM API adapter: window.API (SCORM 1.2) and window.API_1484_11 (SCORM 2004).
 *
 * The authoritative data model is the mist-scorm runtime on the server. This file
 * answers every call in the browser exactly as that runtime does, by interpreting the
 * data-model table the server exports (mist_scorm::runtime::table::data_model_json)
 * and porting the few rules that are code, not table (value syntaxes, interaction
 * responses, status evaluation). Successful state-changing calls are recorded and
 * sent to the server in numbered batches (see Outbox).
 *
 * The page defines, before this script runs:
 *   window.MIST_ATTEMPT = { version: "1.2" | "2004", commitUrl, token, nextSequence,
 *                           values: {element: value}, access: {element: "ro"|"wo"|"none"},
 *                           model: <data_model_json(version)> }
 * Plain ES2020, no dependencies. In Node it exports its parts for the tests.
 */
(function (root, factory) {
  "use strict";
  const mist = factory();
  if (typeof module === "object" && module.exports) {
    module.exports = mist;
  } else if (root && root.MIST_ATTEMPT) {
    mist.install(root, root.MIST_ATTEMPT);
  }
})(typeof window === "undefined" ? undefined : window, function () {
  "use strict";

  // ---- Value syntaxes (ports of mist-scorm runtime/types.rs, timespan.rs, lang.rs) ----

  /** Length in characters (code points), as the SPMs count. */
  function charLen(text) {
    let n = 0;
    for (const _ of text) n += 1; // eslint-disable-line no-unused-vars
    return n;
  }

  function takeChars(text, count) {
    return Array.from(text).slice(0, count).join("");
  }

  const NON_ASCII = /[^\p{ASCII}]/u;

  /** real(10,7) / CMIDecimal: optional minus, digits, optional fraction; no exponent. */
  function parseReal(value) {
    if (!/^-?(?:\d+(?:\.\d+)?|\.\d+)$/.test(value)) return null;
    const n = Number(value);
    return Number.isFinite(n) ? n : null;
  }

  const MARKS = "-_.!~*'();/?:@&=+$,%#";

  /** A URI as java.net.URI accepts it (long/short identifier types). */
  function isIdentifier(value) {
    if (value === "") return false;
    for (const c of value) {
      if (c.codePointAt(0) < 128) {
        if (!/[A-Za-z0-9]/.test(c) && !MARKS.includes(c)) return false;
      } else if (/\p{Cc}|\p{White_Space}/u.test(c)) {
        return false;
      }
    }
    for (let at = value.indexOf("%"); at >= 0; at = value.indexOf("%", at + 1)) {
      if (!/^[0-9A-Fa-f]{2}$/.test(value.slice(at + 1, at + 3))) return false;
    }
    const colon = value.indexOf(":");
    if (colon >= 0) {
      const scheme = value.slice(0, colon);
      const body = value.slice(colon + 1);
      const isScheme = !/[/?#]/.test(scheme) && /^[A-Za-z][A-Za-z0-9+\-.]*$/.test(scheme);
      if (isScheme && body === "") return false;
    }
    return value.split("#").length <= 2;
  }

  /** time(second,10,0): YYYY[-MM[-DD[Thh[:mm[:ss[.s[s][TZD]]]]]]], years 1970-2038. */
  function isDateTime(value) {
    if (NON_ASCII.test(value)) return false;
    const num = (from, len) => {
      const part = value.slice(from, from + len);
      return part.length === len && /^\d+$/.test(part) ? Number(part) : null;
    };
    const year = num(0, 4);
    if (year === null || year < 1970 || year > 2038) return false;
    const fields = [[4, "-", 1, 12], [7, "-", 1, 31], [10, "T", 0, 23], [13, ":", 0, 59], [16, ":", 0, 59]];
    let pos = 4;
    for (const [at, sep, lo, hi] of fields) {
      if (value.length === at) return true;
      const n = num(at + 1, 2);
      if (value[at] !== sep || n === null || n < lo || n > hi) return false;
      pos = at + 3;
    }
    const rest = value.slice(pos);
    if (!rest.startsWith(".")) return pos === value.length;
    const frac = rest.slice(1);
    const digits = /^\d*/.exec(frac)[0].length;
    return digits >= 1 && digits <= 2 && isZone(frac.slice(digits));
  }

  function isZone(zone) {
    if (zone === "" || zone === "Z") return true;
    if (zone[0] !== "+" && zone[0] !== "-") return false;
    // Rust's u32 parsing takes a leading "+".
    const two = (s, max) => s.length === 2 && /^\+?\d+$/.test(s) && Number(s) <= max;
    const offset = zone.slice(1);
    const colon = offset.indexOf(":");
    if (colon < 0) return two(offset, 23);
    return two(offset.slice(0, colon), 23) && two(offset.slice(colon + 1), 59);
  }

  function digits(value, max) {
    return value !== "" && value.length <= max && /^\d+$/.test(value);
  }

  /** n or n.f seconds with at most two fraction digits; returns centiseconds or null. */
  function secondsCs(value, maxIntDigits) {
    const dot = value.indexOf(".");
    const int = dot < 0 ? value : value.slice(0, dot);
    const frac = dot < 0 ? "" : value.slice(dot + 1);
    if (!digits(int, maxIntDigits)) return null;
    if (dot < 0) return Number(int) * 100;
    if (!digits(frac, 2)) return null;
    return Number(int) * 100 + Number(frac) * (frac.length === 1 ? 10 : 1);
  }

  /** ISO 8601 duration P[nY][nM][nD][T[nH][nM][n[.nn]S]]. */
  function isIsoDuration(value) {
    if (!value.startsWith("P")) return false;
    const body = value.slice(1);
    const t = body.indexOf("T");
    if (t >= 0 && t === body.length - 1) return false;
    const date = t < 0 ? body : body.slice(0, t);
    const time = t < 0 ? null : body.slice(t + 1);
    let seen = false;
    const part = (text, units, allowFraction) => {
      let rest = text;
      let next = 0;
      while (rest !== "") {
        const end = rest.search(/[^0-9.]/);
        if (end < 0) return false;
        const number = rest.slice(0, end);
        const designator = String.fromCodePoint(rest.codePointAt(end));
        const index = units.indexOf(designator, next);
        if (index < 0) return false;
        const ok = designator === "S" && allowFraction ? secondsCs(number, 10) !== null : digits(number, 10);
        if (!ok) return false;
        seen = true;
        next = index + 1;
        rest = rest.slice(end + designator.length);
      }
      return true;
    };
    if (!part(date, ["Y", "M", "D"], false)) return false;
    if (time !== null && !part(time, ["H", "M", "S"], true)) return false;
    return seen;
  }

  /** SCORM 1.2 CMITimespan HHHH:MM:SS[.S[S]] (2 to 4 hour digits). */
  function isCmiTimespan(value) {
    const [hours, minutes, seconds] = splitN(value, ":", 3);
    if (seconds === undefined) return false;
    if (hours.length < 2 || hours.length > 4 || minutes.length !== 2 || seconds.split(".")[0].length !== 2) return false;
    if (!digits(hours, 4) || !digits(minutes, 2)) return false;
    const s = secondsCs(seconds, 2);
    return s !== null && Number(minutes) <= 59 && s < 6000;
  }

  /** SCORM 1.2 CMITime HH:MM:SS[.S[S]]. */
  function isCmiTime(value) {
    const [h, m, s] = splitN(value, ":", 3);
    if (s === undefined) return false;
    const cs = secondsCs(s, 2);
    const secondsOk = s.split(".")[0].length === 2 && cs !== null && cs < 6000;
    return h.length === 2 && m.length === 2 && digits(h, 2) && Number(h) < 24 && digits(m, 2) && Number(m) < 60 && secondsOk;
  }

  /** Rust's splitn: at most `n` pieces, the last holding the rest. */
  function splitN(value, separator, n) {
    const pieces = value.split(separator);
    return pieces.length <= n ? pieces : pieces.slice(0, n - 1).concat(pieces.slice(n - 1).join(separator));
  }

  /** Tags registered with IANA that the code lists alone would reject (lang.rs). */
  const IANA = ("art-lojban az-arab az-cyrl az-latn cel-gaulish de-1901 de-1996 en-boont en-ge-oed en-scouse " +
    "i-ami i-bnn i-default i-enochian i-hak i-klingon i-lux i-mingo i-navajo i-pwn i-tao i-tay i-tsu no-bok no-nyn " +
    "sgn-be-fr sgn-be-nl sgn-br sgn-ch-de sgn-co sgn-de sgn-dk sgn-es sgn-fr sgn-gb sgn-gr sgn-ie sgn-it sgn-jp " +
    "sgn-mx sgn-nl sgn-no sgn-pt sgn-se sgn-us sgn-za sl-rozaj sr-cyrl sr-latn uz-cyrl uz-latn yi-latn zh-hans " +
    "zh-hant zh-gan zh-guoyu zh-hakka zh-min zh-min-nan zh-wuu zh-xiang").split(" ");

  function languageCheck(lists) {
    const primary2 = new Set(lists.primary2);
    const primary3 = new Set(lists.primary3);
    const countries = new Set(lists.countries);
    return function isLanguage(tag) {
      if (tag === "" || NON_ASCII.test(tag)) return false;
      const lower = tag.toLowerCase();
      if (IANA.some((known) => lower === known || lower.startsWith(known + "-"))) return true;
      const [primary, second, ...rest] = lower.split("-");
      if (primary === "x") return second !== undefined && second !== "";
      const primaryOk = primary.length === 2 ? primary2.has(primary) : primary.length === 3 && primary3.has(primary);
      const countryOk = second === undefined || (second.length === 2 && countries.has(second));
      const restOk = rest.every((s) => s.length >= 1 && s.length <= 8 && /^[a-z0-9]+$/.test(s));
      return primaryOk && countryOk && restOk;
    };
  }

  // ---- Interaction responses (port of runtime/interactions.rs) ----

  const FLAGS = { "fill-in": ["case_matters", "order_matters"], "long-fill-in": ["case_matters"], performance: ["order_matters"] };
  const flagsOf = (kind) => FLAGS[kind] || [];

  function responses(isLanguage) {
    const shortId = isIdentifier;
    const splitLangOk = (value) => {
      if (!value.startsWith("{lang=")) return true;
      const close = value.indexOf("}");
      return close < 0 || isLanguage(value.slice(6, close));
    };
    /** Leading {flag=true|false} delimiters: [flags, rest], or null for a bad flag. */
    const leading = (value, allowed) => {
      const flags = [];
      for (;;) {
        const eq = value.indexOf("=");
        if (!value.startsWith("{") || eq < 0) return [flags, value];
        const name = value.slice(1, eq);
        if (!allowed.includes(name)) return [flags, value];
        const after = value.slice(eq + 1);
        const close = after.indexOf("}");
        if (close < 0) return null;
        const setting = after.slice(0, close);
        if (flags.some(([seen]) => seen === name) || (setting !== "true" && setting !== "false")) return null;
        flags.push([name, setting]);
        value = after.slice(close + 1);
      }
    };
    const longFillIn = (value) => {
      const first = leading(value, flagsOf("long-fill-in"));
      if (first === null) return null;
      const [flags, rest] = first;
      const close = rest.indexOf("}");
      if (!rest.startsWith("{lang=") || close < 0) return [flags, "", rest];
      const remaining = flagsOf("long-fill-in").filter((f) => flags.every(([n]) => n !== f));
      const more = leading(rest.slice(close + 1), remaining);
      return more === null ? null : [flags.concat(more[0]), rest.slice(0, close + 1), more[1]];
    };
    const list = (value, allowEmpty, item) => (value === "" ? allowEmpty : value.split("[,]").every(item));
    const uniqueIds = (value) => {
      const items = value === "" ? [] : value.split("[,]");
      return list(value, true, shortId) && new Set(items).size === items.length;
    };
    const pair = (value, left, right) => {
      const parts = value.split("[.]");
      return parts.length === 2 && left(parts[0]) && right(parts[1]);
    };
    const numericRange = (value) => {
      const at = value.indexOf("[:]");
      if (at < 0) return parseReal(value) !== null;
      const bound = (b) => (b === "" ? { n: null } : parseReal(b) === null ? null : { n: parseReal(b) });
      const lo = bound(value.slice(0, at));
      const hi = bound(value.slice(at + 3));
      if (lo === null || hi === null) return false;
      return lo.n === null || hi.n === null || lo.n <= hi.n;
    };
    const step = (item) => pair(item, (name) => name === "" || shortId(name), () => true) && item !== "[.]";
    const common = {
      "true-false": (v) => v === "true" || v === "false",
      choice: uniqueIds,
      sequencing: (v) => list(v, false, shortId),
      likert: shortId,
      matching: (v) => list(v, false, (item) => pair(item, shortId, shortId)),
      other: () => true,
    };
    const patterns = Object.assign({}, common, {
      "fill-in": (v) => {
        const parts = leading(v, flagsOf("fill-in"));
        return parts !== null && list(parts[1], true, splitLangOk);
      },
      "long-fill-in": (v) => {
        const parts = longFillIn(v);
        return parts !== null && splitLangOk(parts[1] + parts[2]);
      },
      performance: (v) => {
        const parts = leading(v, flagsOf("performance"));
        return parts !== null && list(parts[1], false, step);
      },
      numeric: numericRange,
    });
    const learner = Object.assign({}, common, {
      "fill-in": (v) => list(v, true, splitLangOk),
      "long-fill-in": splitLangOk,
      performance: (v) => list(v, false, step),
      numeric: (v) => parseReal(v) !== null,
    });
    /** The stored form: flags without their defaults, a long-fill-in's {lang=en} dropped. */
    const canonical = (kind, value) => {
      let parts = null;
      if (kind === "long-fill-in") parts = longFillIn(value);
      else if (kind === "fill-in" || kind === "performance") {
        const lead = leading(value, flagsOf(kind));
        parts = lead && [lead[0], "", lead[1]];
      }
      if (parts === null) return value;
      const [flags, lang, text] = parts;
      let out = "";
      for (const [name, setting] of flags) {
        if (setting !== (name === "case_matters" ? "false" : "true")) out += "{" + name + "=" + setting + "}";
      }
      return out + (lang === "{lang=en}" ? "" : lang) + text;
    };
    return {
      pattern: (kind, v) => Boolean(patterns[kind] && patterns[kind](v)),
      response: (kind, v) => Boolean(learner[kind] && learner[kind](v)),
      canonical,
      splitLangOk,
    };
  }

  // ---- The data-model engine (port of runtime/model.rs, hooks.rs, api.rs) ----

  const KEYWORDS = ["_children", "_count", "_version"];
  const NAV_WORDS = ["continue", "previous", "exit", "exitAll", "abandon", "abandonAll", "suspendAll", "_none_"];
  const RESULTS_2004 = ["correct", "incorrect", "unanticipated", "neutral"];
  const REQUEST_VALID = "adl.nav.request_valid.";
  const MAX_DEPTH = 2;

  class Fault extends Error {
    constructor(name) {
      super(name);
      this.fault = name;
    }
  }
  const fail = (name) => {
    throw new Fault(name);
  };

  function parseName(name) {
    const indices = [];
    const pattern = [];
    for (const segment of name.split(".")) {
      if (segment === "") return null;
      if (/^\d+$/.test(segment)) {
        if (indices.length === MAX_DEPTH) return null;
        const index = Number(segment);
        indices.push(Number.isSafeInteger(index) ? index : Infinity);
        pattern.push("n");
      } else {
        pattern.push(segment);
      }
    }
    return { pattern: pattern.join("."), indices };
  }

  function concrete(pattern, indices) {
    let next = 0;
    return pattern
      .split(".")
      .map((segment) => (segment === "n" && next < indices.length ? String(indices[next++]) : segment))
      .join(".");
  }

  /** The prefixes of a pattern that are arrays (before each ".n" segment). */
  function arrayLevels(pattern) {
    const levels = [];
    for (let at = pattern.indexOf(".n"); at >= 0; at = pattern.indexOf(".n", at + 2)) {
      const after = pattern[at + 2];
      if (after === undefined || after === ".") levels.push(pattern.slice(0, at));
    }
    return levels;
  }

  function rsplitOnce(text, separator) {
    const at = text.lastIndexOf(separator);
    return at < 0 ? null : [text.slice(0, at), text.slice(at + separator.length)];
  }

  /**
   * One SCO launch's API, answering as mist_scorm::runtime::Runtime does.
   * `values`: element -> value as GetValue answers it after Initialize;
   * `access`: element -> "ro" | "wo" | "none" where the launch restricts it.
   */
  function createRuntime(model, values, access) {
    const v2004 = model.version === "2004";
    // Maps, so that names like "constructor" are not found on Object.prototype.
    const elements = new Map(Object.entries(model.elements));
    const containers = new Map(Object.entries(model.containers));
    const faults = new Map(Object.entries(model.faults));
    const errorStrings = new Map(Object.entries(model.errorStrings));
    const maxCorrect = new Map(Object.entries(model.maxCorrectResponses || {}));
    const state = Object.assign(Object.create(null), values || {});
    const restricted = access || {};
    const isLanguage = languageCheck(model.language);
    const interactions = responses(isLanguage);
    let api = "not initialized";
    let lastError = null; // { fault, element }

    const code = (fault) => faults.get(fault).code;
    const knows = (pattern) => elements.has(pattern) || containers.has(pattern);
    const stored = (key) => (Object.prototype.hasOwnProperty.call(state, key) ? state[key] : undefined);
    const launchReal = (key) => (stored(key) === undefined ? null : Number(stored(key)));
    const storedReal = (key) => (stored(key) === undefined ? null : parseReal(stored(key)));

    function count(pattern, outer) {
      const text = stored(concrete(pattern, outer) + "._count");
      return text !== undefined && /^\d+$/.test(text) ? Number(text) : 0;
    }

    /** Checks every index of `name`; returns whether the innermost appends a record. */
    function checkIndices(name, append, failure) {
      const levels = arrayLevels(name.pattern);
      let appends = false;
      levels.forEach((level, depth) => {
        const index = depth < name.indices.length ? name.indices[depth] : Infinity;
        const n = count(level, name.indices.slice(0, depth));
        const innermost = depth + 1 === levels.length;
        if (index < n) return;
        const array = containers.has(level) ? containers.get(level).array : null;
        if (!(append && innermost && index === n) || (array && array.launch)) {
          fail(append && !innermost && index === n ? "Dependency" : failure);
        }
        if (n >= (array ? array.spm : 0)) fail("SetFailure");
        appends = true;
      });
      return appends;
    }

    function keywordGet(name) {
      const split = rsplitOnce(name.pattern, ".");
      if (split === null || !KEYWORDS.includes(split[1]) || name.pattern === "cmi._version") return null;
      const [prefix, keyword] = split;
      const container = containers.get(prefix);
      if (!container) {
        const known = knows(prefix);
        if (keyword === "_children" && known) fail("NoChildren");
        if (keyword === "_count" && known) fail("NoCount");
        fail("Undefined");
      }
      checkIndices({ pattern: prefix, indices: name.indices }, false, "GetFailure");
      if (keyword === "_children") return container.children;
      if (keyword === "_count" && container.array) return String(count(prefix, name.indices));
      return fail(keyword === "_count" ? "NoCount" : "Undefined");
    }

    function isTarget(value) {
      return value.startsWith("{target=") && value.endsWith("}") && value.length >= 9 && validId(value.slice(8, -1));
    }
    const validId = (id) => isIdentifier(id) && charLen(id) <= 4000;

    /** adl.nav.request_valid.*: null when `element` is not one. */
    function requestValid(element) {
      if (!v2004 || !element.startsWith(REQUEST_VALID)) return null;
      const request = element.slice(REQUEST_VALID.length);
      const known = request === "continue" || request === "previous" ||
        ["choice.", "jump."].some((p) => request.startsWith(p) && isTarget(request.slice(p.length)));
      return { request, known };
    }

    function evaluate(element) {
      if (element === "cmi.completion_status") {
        const threshold = launchReal("cmi.completion_threshold");
        const measure = storedReal("cmi.progress_measure");
        if (threshold === null) {
          const reported = stored("cmi.completion_status");
          return ["completed", "incomplete", "not attempted"].includes(reported) ? reported : "unknown";
        }
        if (measure === null) return "unknown";
        return measure >= threshold ? "completed" : "incomplete";
      }
      const passing = launchReal("cmi.scaled_passing_score");
      const score = storedReal("cmi.score.scaled");
      if (passing === null) {
        const reported = stored("cmi.success_status");
        return reported === "passed" || reported === "failed" ? reported : "unknown";
      }
      if (score === null) return "unknown";
      return score >= passing ? "passed" : "failed";
    }

    function elementAccess(pattern) {
      if (elements.has(pattern)) return elements.get(pattern).access;
      const parent = rsplitOnce(pattern, ".");
      return fail(parent !== null && containers.has(parent[0]) ? "UndefinedLeaf" : "Undefined");
    }

    function dmGet(element) {
      if (element === "") fail("GetFailure");
      const special = requestValid(element);
      if (special !== null) {
        if (!special.known) fail("Undefined");
        return stored(element) === undefined ? "unknown" : stored(element);
      }
      const name = parseName(element);
      if (name === null) fail("Undefined");
      const keyword = keywordGet(name);
      if (keyword !== null) return keyword;
      if (elementAccess(name.pattern) === "wo") fail("WriteOnly");
      checkIndices(name, false, "GetFailure");
      const key = concrete(name.pattern, name.indices);
      if (v2004 && (name.pattern === "cmi.completion_status" || name.pattern === "cmi.success_status")) {
        return evaluate(name.pattern);
      }
      if (name.pattern === "adl.data.n.store") {
        if (restricted[key] === "wo" || restricted[key] === "none") fail("WriteOnly");
        // Storing "" empties a bucket.
        if (!stored(key)) fail("NotInitialized");
      }
      if (stored(key) !== undefined) return stored(key);
      const fallback = elements.get(name.pattern).default;
      if (fallback !== undefined) return fallback;
      return model.unsetReadsEmpty ? "" : fail("NotInitialized");
    }

    function interactionType(name) {
      return name.indices.length === 0 ? undefined : stored(concrete("cmi.interactions.n.type", name.indices.slice(0, 1)));
    }

    /** The value check of one type; "SpmExceeded" is only a warning (as in ADL's LMS). */
    function checkType(type, value, kind) {
      const mismatch = () => fail("TypeMismatch");
      const spm = (text, limit) => charLen(text) <= limit || fail("SpmExceeded");
      switch (type.kind) {
        case "text":
          if (!v2004) return charLen(value) <= type.spm || mismatch();
          return spm(value, type.spm);
        case "localized": {
          if (!interactions.splitLangOk(value)) mismatch();
          const close = value.indexOf("}");
          return spm(value.startsWith("{lang=") && close >= 0 ? value.slice(close + 1) : value, type.spm);
        }
        case "identifier":
          return (isIdentifier(value) || mismatch()) && spm(value, type.spm);
        case "vocab":
          return type.words.includes(value) || mismatch();
        case "real": {
          const n = parseReal(value);
          if (n === null) mismatch();
          if ((type.min !== null && n < type.min) || (type.max !== null && n > type.max)) fail("OutOfRange");
          return true;
        }
        case "duration":
          return isIsoDuration(value) || mismatch();
        case "dateTime":
          return isDateTime(value) || mismatch();
        case "language":
          return value === "" || isLanguage(value) || mismatch();
        case "navRequest": {
          if (NAV_WORDS.includes(value)) return true;
          const close = value.indexOf("}");
          const request = value.slice(close + 1);
          const ok = value.startsWith("{target=") && close >= 0 && (request === "choice" || request === "jump") &&
            validId(value.slice(8, close));
          return ok || mismatch();
        }
        case "pattern":
          return interactions.pattern(kind, value) || mismatch();
        case "response":
          return interactions.response(kind, value) || mismatch();
        case "result2004":
          return RESULTS_2004.includes(value) || parseReal(value) !== null || mismatch();
        case "id12":
          return (value !== "" && charLen(value) <= 255 && !value.includes(" ")) || mismatch();
        case "score12": {
          const n = parseReal(value);
          return value === "" || (n !== null && n >= type.min && n <= type.max) || mismatch();
        }
        case "decimal12":
          return value === "" || parseReal(value) !== null || mismatch();
        case "integer12": {
          const ok = /^-?\d+$/.test(value) && Number(value) >= type.min && Number(value) <= type.max;
          return ok || mismatch();
        }
        case "timespan12":
          return isCmiTimespan(value) || mismatch();
        case "time12":
          return isCmiTime(value) || mismatch();
        case "result12":
          return type.words.includes(value) || parseReal(value) !== null || mismatch();
        default:
          return mismatch();
      }
    }

    /** 2004 identity rules: unique, write-once objective ids; unique choice patterns. */
    function checkRules2004(name, value) {
      const split = rsplitOnce(name.pattern, ".n.");
      if (split === null) return;
      const [array, field] = split;
      const unique = name.pattern === "cmi.objectives.n.id" || name.pattern === "cmi.interactions.n.objectives.n.id" ||
        (name.pattern === "cmi.interactions.n.correct_responses.n.pattern" && interactionType(name) === "choice");
      if (!unique) return;
      const own = name.indices[name.indices.length - 1];
      const outer = name.indices.slice(0, -1);
      const current = stored(concrete(name.pattern, name.indices));
      if (name.pattern === "cmi.objectives.n.id" && current !== undefined && current !== value) fail("SetFailure");
      for (let i = 0; i < count(array, outer); i++) {
        if (i !== own && stored(concrete(array + ".n", outer.concat([i])) + "." + field) === value) fail("SetFailure");
      }
    }

    function validate(name, value) {
      const type = elements.get(name.pattern).type;
      let kind;
      if (type.kind === "pattern" || type.kind === "response") {
        kind = interactionType(name);
        if (kind === undefined) fail("Dependency");
      }
      const key = concrete(name.pattern, name.indices);
      if (v2004 && name.pattern === "cmi.interactions.n.correct_responses.n.pattern") {
        const limit = maxCorrect.has(kind) ? maxCorrect.get(kind) : 250;
        if ((name.indices[1] || 0) >= limit) fail("SetFailure");
      }
      if (v2004 && name.pattern === "adl.data.n.store" && (restricted[key] === "ro" || restricted[key] === "none")) {
        fail("ReadOnly");
      }
      try {
        checkType(type, value, kind);
      } catch (error) {
        if (!(error instanceof Fault) || error.fault !== "SpmExceeded") throw error;
      }
      if (v2004) checkRules2004(name, value);
      return kind;
    }

    function dmSet(element, value) {
      if (element === "") fail("SetFailure");
      const special = requestValid(element);
      if (special !== null) fail(special.known || special.request === "" ? "ReadOnly" : "Undefined");
      const name = parseName(element);
      if (name === null) fail("Undefined");
      const split = rsplitOnce(name.pattern, ".");
      if (split !== null && KEYWORDS.includes(split[1])) {
        fail(knows(split[0]) || name.pattern === "cmi._version" ? "Keyword" : "Undefined");
      }
      if (elementAccess(name.pattern) === "ro") fail("ReadOnly");
      const appends = checkIndices(name, true, "SetFailure");
      const levels = arrayLevels(name.pattern);
      const level = levels[levels.length - 1];
      if (appends) {
        const key = containers.get(level).array.key;
        if (key && key !== name.pattern.slice(level.length + 3)) fail("Dependency");
      }
      const kind = validate(name, value);
      const isResponse = name.pattern === "cmi.interactions.n.correct_responses.n.pattern" ||
        name.pattern === "cmi.interactions.n.learner_response";
      const form = v2004 && isResponse && kind !== undefined ? interactions.canonical(kind, value) : value;
      if (appends) {
        const outer = name.indices.slice(0, -1);
        state[concrete(level, outer) + "._count"] = String(count(level, outer) + 1);
      }
      state[concrete(name.pattern, name.indices)] = form;
    }

    function finish(fault, element) {
      lastError = fault === null ? null : { fault, element: takeChars(element, 200) };
      return fault === null;
    }

    function attempt(action, element) {
      try {
        const result = action();
        finish(null, "");
        return result;
      } catch (error) {
        if (!(error instanceof Fault)) throw error;
        finish(error.fault, element);
        return null;
      }
    }

    function requireRunning(before, after) {
      if (api === "not initialized") fail(before);
      if (api === "terminated") fail(after);
    }

    const emptyParameter = (parameter) => parameter === "" || fail("InvalidArgument");
    const lastCode = () => (lastError === null ? 0 : code(lastError.fault));
    const parseCode = (text) => (/^\d+$/.test(text) && Number(text) <= 65535 && String(Number(text)) === text ? Number(text) : null);
    const errorString = (n) => errorStrings.get(String(n)) || "";

    return {
      initialize(parameter) {
        return attempt(() => {
          emptyParameter(parameter);
          if (api === "running") fail("AlreadyInitialized");
          if (api === "terminated") fail("InstanceTerminated");
          api = "running";
          return true;
        }, "") === true;
      },
      terminate(parameter) {
        return attempt(() => {
          requireRunning("TerminateBeforeInit", "TerminateAfterTerminate");
          emptyParameter(parameter);
          api = "terminated";
          return true;
        }, "") === true;
      },
      commit(parameter) {
        return attempt(() => {
          requireRunning("CommitBeforeInit", "CommitAfterTerminate");
          return emptyParameter(parameter);
        }, "") === true;
      },
      getValue(element) {
        const value = attempt(() => {
          requireRunning("GetBeforeInit", "GetAfterTerminate");
          return dmGet(element);
        }, element);
        return value === null ? "" : value;
      },
      setValue(element, value) {
        return attempt(() => {
          requireRunning("SetBeforeInit", "SetAfterTerminate");
          dmSet(element, value);
          return true;
        }, element) === true;
      },
      lastErrorCode: lastCode,
      getErrorString(text) {
        const n = parseCode(text);
        return n === null ? "" : errorString(n);
      },
      getDiagnostic(text) {
        const last = lastCode();
        const requested = text === "" ? last : parseCode(text);
        if (requested === null) return "";
        const message = errorString(requested);
        const detail = lastError !== null && requested === last
          ? message + ": " + faults.get(lastError.fault).message + " (" + lastError.element + ")"
          : message;
        return takeChars(detail, 255);
      },
      get state() {
        return api;
      },
    };
  }

  // ---- Batches to the server ----

  const RETRY_FIRST_MS = 1000;
  const RETRY_MAX_MS = 60000;

  /**
   * Numbered batches of calls for POST commitUrl. A batch stays until the server
   * acknowledges it (200 {"acknowledged": N} drops every batch up to N); 409
   * {"expected": M} drops those below M and resends from M; network errors and 5xx
   * retry with backoff. Other answers (401, 403, 400...) stop sending: the token or
   * the attempt is no longer valid, and retrying cannot help.
   */
  /**
   * Browsers refuse a keepalive fetch or a beacon whose body (with every other keepalive request in
   * flight) passes 64 KiB, so batches are cut below this size, and page-hide beacons stop there.
   */
  const KEEPALIVE_BYTES = 60000;

  /** The UTF-8 length of a string (what a request body costs). */
  function utf8Length(text) {
    let bytes = 0;
    for (let i = 0; i < text.length; i += 1) {
      const code = text.charCodeAt(i);
      if (code < 0x80) bytes += 1;
      else if (code < 0x800) bytes += 2;
      else if (code >= 0xd800 && code <= 0xdbff) {
        bytes += 4;
        i += 1;
      } else bytes += 3;
    }
    return bytes;
  }

  function createOutbox(options, env) {
    const queue = [];
    /** Sequence → when it was last sent by beacon. */
    const beaconed = new Map();
    let pending = [];
    let sequence = Number(options.nextSequence) || 1;
    let sending = false;
    let delay = RETRY_FIRST_MS;
    let retryTimer = null;
    let stopped = null;

    const body = (batch) => JSON.stringify({ token: options.token, sequence: batch.sequence, calls: batch.calls });

    /** Seals the recorded calls into batches, each small enough for a keepalive request when its
     * calls allow (a single call larger than that goes alone, by an ordinary fetch). */
    function seal() {
      let calls = [];
      let size = 200;
      for (const call of pending) {
        const cost = utf8Length(JSON.stringify(call)) + 1;
        if (calls.length > 0 && size + cost > KEEPALIVE_BYTES) {
          queue.push({ sequence: sequence, calls: calls });
          sequence += 1;
          calls = [];
          size = 200;
        }
        calls.push(call);
        size += cost;
      }
      if (calls.length > 0) {
        queue.push({ sequence: sequence, calls: calls });
        sequence += 1;
      }
      pending = [];
    }

    function retryLater() {
      sending = false;
      retryTimer = env.setTimeout(() => {
        retryTimer = null;
        pump();
      }, delay);
      delay = Math.min(delay * 2, RETRY_MAX_MS);
    }

    function answered(status, reply) {
      sending = false;
      if (status === 200 && reply && Number.isInteger(reply.acknowledged)) {
        delay = RETRY_FIRST_MS;
        while (queue.length > 0 && queue[0].sequence <= reply.acknowledged) queue.shift();
        return pump();
      }
      if (status === 409 && reply && Number.isInteger(reply.expected)) {
        const before = queue.length;
        while (queue.length > 0 && queue[0].sequence < reply.expected) queue.shift();
        if (queue.length === 0) return undefined;
        // Resend from the expected batch: at once when older ones were dropped, with
        // backoff when the server names the batch it just refused (it is busy with it).
        if (queue[0].sequence === reply.expected) return queue.length < before ? pump() : retryLater();
        stopped = "the server expects batch " + reply.expected + ", which this page no longer has";
        return undefined;
      }
      if (status >= 500 || status === 0 || status === 429) return retryLater();
      stopped = "the server refused the batch (" + status + ")";
      return undefined;
    }

    function pump() {
      if (sending || retryTimer !== null || stopped !== null || queue.length === 0) return;
      sending = true;
      const batch = queue[0];
      const text = body(batch);
      let status = 0;
      env
        .fetch(options.commitUrl, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: text,
          keepalive: utf8Length(text) < KEEPALIVE_BYTES,
        })
        .then((response) => {
          status = response.status;
          return response.json().catch(() => null);
        })
        .then((reply) => answered(status, reply), () => retryLater());
    }

    return {
      record(call) {
        pending.push(call);
      },
      /** Seals the recorded calls into a batch and sends what is unacknowledged. */
      flush() {
        seal();
        pump();
      },
      /** On page hide: the unacknowledged batches by beacon, in order, as far as the browser's
       * keepalive allowance goes; they stay queued for the ordinary path. A batch beaconed in the last
       * two seconds is not sent again (`visibilitychange` and `pagehide` fire together). */
      beacon() {
        seal();
        if (stopped !== null || !env.sendBeacon) return;
        let allowance = KEEPALIVE_BYTES;
        const now = Date.now();
        for (const batch of queue) {
          if (now - (beaconed.get(batch.sequence) || -Infinity) < 2000) continue;
          const text = body(batch);
          const size = utf8Length(text);
          if (size > allowance) break;
          if (!env.sendBeacon(options.commitUrl, new env.Blob([text], { type: "application/json" }))) break;
          beaconed.set(batch.sequence, now);
          allowance -= size;
        }
      },
      get hasChanges() {
        return pending.length > 0;
      },
      get unacknowledged() {
        return queue.map((b) => b.sequence);
      },
      get stopped() {
        return stopped;
      },
    };
  }

  // ---- The API objects ----

  const AUTO_COMMIT_MS = 30000;

  const METHODS = {
    "1.2": { initialize: "LMSInitialize", terminate: "LMSFinish", getValue: "LMSGetValue", setValue: "LMSSetValue",
      commit: "LMSCommit", lastError: "LMSGetLastError", errorString: "LMSGetErrorString", diagnostic: "LMSGetDiagnostic" },
    "2004": { initialize: "Initialize", terminate: "Terminate", getValue: "GetValue", setValue: "SetValue",
      commit: "Commit", lastError: "GetLastError", errorString: "GetErrorString", diagnostic: "GetDiagnostic" },
  };

  /** SCOs pass numbers and nothing at all; the runtime sees strings. */
  const text = (value) => (value === undefined || value === null ? "" : String(value));

  /**
   * The API object for `attempt` (see the top of the file). Commit answers "true" at
   * once: the values are committed in the browser and the batch is queued; the
   * server's acknowledgement comes later, and an unsent batch is retried.
   */
  function createApi(attempt, env) {
    const runtime = createRuntime(attempt.model, attempt.values, attempt.access);
    const outbox = createOutbox(attempt, env);
    const names = METHODS[attempt.model.version];
    let timer = null;
    const api = {};
    const flag = (ok) => (ok ? "true" : "false");
    api[names.initialize] = (parameter) => {
      const ok = runtime.initialize(text(parameter));
      if (ok && env.setInterval) {
        timer = env.setInterval(() => {
          if (outbox.hasChanges) outbox.flush();
        }, AUTO_COMMIT_MS);
      }
      return flag(ok);
    };
    api[names.terminate] = (parameter) => {
      const ok = runtime.terminate(text(parameter));
      if (ok) {
        outbox.record(["Terminate"]);
        outbox.flush();
        if (timer !== null && env.clearInterval) env.clearInterval(timer);
      }
      return flag(ok);
    };
    api[names.getValue] = (element) => runtime.getValue(text(element));
    api[names.setValue] = (element, value) => {
      const ok = runtime.setValue(text(element), text(value));
      if (ok) outbox.record(["SetValue", text(element), text(value)]);
      return flag(ok);
    };
    api[names.commit] = (parameter) => {
      const ok = runtime.commit(text(parameter));
      if (ok) {
        outbox.record(["Commit"]);
        outbox.flush();
      }
      return flag(ok);
    };
    api[names.lastError] = () => String(runtime.lastErrorCode());
    api[names.errorString] = (code) => runtime.getErrorString(text(code));
    api[names.diagnostic] = (code) => runtime.getDiagnostic(text(code));
    if (attempt.model.version === "2004") api.version = "1.0";
    return { api, runtime, outbox };
  }

  /** Installs window.API or window.API_1484_11 and the page-hide beacon. */
  function install(win, attempt) {
    const env = {
      fetch: win.fetch.bind(win),
      sendBeacon: win.navigator && win.navigator.sendBeacon ? win.navigator.sendBeacon.bind(win.navigator) : null,
      Blob: win.Blob,
      setTimeout: win.setTimeout.bind(win),
      setInterval: win.setInterval.bind(win),
      clearInterval: win.clearInterval.bind(win),
    };
    const adapter = createApi(attempt, env);
    win[attempt.model.version === "2004" ? "API_1484_11" : "API"] = adapter.api;
    win.addEventListener("pagehide", () => adapter.outbox.beacon());
    win.document.addEventListener("visibilitychange", () => {
      if (win.document.visibilityState === "hidden") adapter.outbox.beacon();
    });
    return adapter;
  }

  return {
    createRuntime, createOutbox, createApi, install,
    syntax: { parseReal, isIdentifier, isDateTime, isIsoDuration, isCmiTimespan, isCmiTime, languageCheck, charLen },
  };
});
