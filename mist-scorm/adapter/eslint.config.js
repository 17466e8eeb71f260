"use strict";
// Lint for the adapter (one classic browser script, ES2020), its Node tests and the browser test's pages.
const js = require("@eslint/js");

const node = {
  require: "readonly", module: "writable", process: "readonly", __dirname: "readonly", console: "readonly",
  setTimeout: "readonly", setImmediate: "readonly", URL: "readonly", Buffer: "readonly",
};

const browser = {
  window: "readonly", document: "readonly", fetch: "readonly", URLSearchParams: "readonly",
  setTimeout: "readonly", clearTimeout: "readonly",
};

module.exports = [
  js.configs.recommended,
  {
    files: ["mist-scorm-api.js"],
    languageOptions: { ecmaVersion: 2020, sourceType: "script", globals: { window: "readonly", module: "readonly" } },
    rules: { eqeqeq: "error", "no-var": "error", "prefer-const": "error", strict: ["error", "function"] },
  },
  {
    files: ["test/**/*.js", "eslint.config.js"],
    ignores: ["test/browser/**"],
    languageOptions: { ecmaVersion: 2022, sourceType: "commonjs", globals: node },
    rules: { eqeqeq: "error", "no-var": "error", "prefer-const": "error" },
  },
  {
    // Scripts of the pages that test/browser.test.js serves to Chromium.
    files: ["test/browser/**/*.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "script", globals: browser },
    rules: { eqeqeq: "error", "no-var": "error", "prefer-const": "error", strict: ["error", "function"] },
  },
];
