"use strict";
// Lint for the SCO player (classic browser scripts) and its Node tests.
const js = require("@eslint/js");

const browser = {
  window: "readonly", document: "readonly", crypto: "readonly", Date: "readonly", URL: "readonly",
  setTimeout: "readonly", clearTimeout: "readonly", Event: "readonly",
};
const node = {
  require: "readonly", module: "writable", process: "readonly", __dirname: "readonly",
  console: "readonly", setTimeout: "readonly", clearTimeout: "readonly", URL: "readonly", Buffer: "readonly",
};

module.exports = [
  js.configs.recommended,
  {
    files: ["src/**/*.js"],
    languageOptions: { ecmaVersion: 2020, sourceType: "script", globals: { ...browser, module: "readonly" } },
    rules: { eqeqeq: "error", "no-var": "error", "prefer-const": "error", strict: ["error", "function"] },
  },
  {
    files: ["test/**/*.js", "eslint.config.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "commonjs", globals: node },
    rules: { eqeqeq: "error", "no-var": "error", "prefer-const": "error" },
  },
  {
    // Functions passed to page.evaluate run in the browser.
    files: ["test/browser/*.js"],
    languageOptions: { globals: { window: "readonly", document: "readonly" } },
  },
  {
    files: ["test/browser/host/**/*.js"],
    languageOptions: { sourceType: "script", globals: { ...browser, Scorm12API: "readonly", Scorm2004API: "readonly" } },
  },
];
