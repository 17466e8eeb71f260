"use strict";
// axe-core from npm, injected into the page and run with the WCAG 2.0/2.1 A and AA rules.
const fs = require("node:fs");

const AXE_SOURCE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const BLOCKING = new Set(["serious", "critical"]);

/** All violations on the current page, with impact, rule, help and the failing nodes. */
async function axeViolations(page) {
  await page.addScriptTag({ content: AXE_SOURCE });
  const results = await page.evaluate(async (tags) => {
    const run = await window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
    return run.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target.join(" "), html: n.html, summary: n.failureSummary, impact: n.impact })),
    }));
  }, TAGS);
  return results;
}

/** One line per failing node: `rule (impact) on TARGET: help — HTML`. */
function describe(violations, where) {
  const lines = [];
  for (const v of violations) {
    for (const node of v.nodes) {
      lines.push(
        `${where}: ${v.id} (${node.impact || v.impact}) on \`${node.target}\`: ${v.help}\n    ${node.html.slice(0, 300)}\n    ${(node.summary || "").replace(/\n/g, "\n    ")}`,
      );
    }
  }
  return lines.join("\n");
}

function blocking(violations) {
  return violations.filter((v) => BLOCKING.has(v.impact) || v.nodes.some((n) => BLOCKING.has(n.impact)));
}

module.exports = { axeViolations, describe, blocking, TAGS };
