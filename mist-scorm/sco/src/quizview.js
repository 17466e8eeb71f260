/*
 * The quiz on screen: one fieldset per drawn question, native form controls (keyboard and screen
 * reader friendly), and the answer read back in mist-core's {type, value} shape.
 */
(function (root, factory) {
  "use strict";
  const api = factory();
  if (typeof module === "object" && module.exports) {
    module.exports = api;
  } else {
    root.MistQuizView = api;
  }
})(this, function () {
  "use strict";

  function el(doc, tag, attributes, children) {
    const node = doc.createElement(tag);
    for (const [key, value] of Object.entries(attributes || {})) {
      if (key === "text") {
        node.textContent = value;
      } else if (key === "html") {
        // Only HTML rendered and sanitized by mist-core at export time reaches here.
        node.innerHTML = value;
      } else {
        node.setAttribute(key, value);
      }
    }
    for (const child of children || []) {
      node.appendChild(child);
    }
    return node;
  }

  function choiceList(doc, name, type, entries) {
    return el(
      doc,
      "div",
      { class: "choices" },
      entries.map(([value, label]) => {
        const id = `${name}-${value}`;
        return el(doc, "div", { class: "choice" }, [
          el(doc, "input", { type, name, id, value }),
          el(doc, "label", { for: id, text: label }),
        ]);
      }),
    );
  }

  function moveButton(doc, label, direction) {
    return el(doc, "button", { type: "button", class: "move", "data-move": direction, "aria-label": label, text: direction < 0 ? "↑" : "↓" });
  }

  /** Builds the controls of one question; returns the fieldset. */
  function render(doc, question, drawn, number, lang, t) {
    const name = `q-${number}`;
    const fieldset = el(doc, "fieldset", { class: "question", "data-question": question.id });
    fieldset.appendChild(
      el(doc, "legend", {}, [
        el(doc, "span", { class: "number", text: `${t("question")} ${number}` }),
        el(doc, "div", { class: "prompt", html: question.prompt[lang] }),
      ]),
    );
    const order = drawn.display_order;
    switch (question.type) {
      case "single":
      case "multiple": {
        const type = question.type === "single" ? "radio" : "checkbox";
        const entries = order.map((i) => [question.options[i].id, question.options[i].text[lang]]);
        if (question.type === "multiple") {
          fieldset.appendChild(el(doc, "p", { class: "hint", text: t("chooseAll") }));
        }
        fieldset.appendChild(choiceList(doc, name, type, entries));
        break;
      }
      case "true_false":
        fieldset.appendChild(choiceList(doc, name, "radio", [["true", t("true")], ["false", t("false")]]));
        break;
      case "ordering": {
        fieldset.appendChild(el(doc, "p", { class: "hint", text: t("orderHint") }));
        const list = el(doc, "ol", { class: "ordering" });
        for (const i of order) {
          const item = question.items[i];
          list.appendChild(
            el(doc, "li", { "data-item": item.id }, [
              el(doc, "span", { class: "label", text: item.text[lang] }),
              moveButton(doc, `${t("moveUp")}: ${item.text[lang]}`, -1),
              moveButton(doc, `${t("moveDown")}: ${item.text[lang]}`, 1),
            ]),
          );
        }
        list.addEventListener("click", (event) => {
          const button = event.target.closest("button[data-move]");
          if (!button) {
            return;
          }
          const item = button.closest("li");
          const sibling = button.dataset.move === "-1" ? item.previousElementSibling : item.nextElementSibling;
          if (sibling) {
            list.insertBefore(item, button.dataset.move === "-1" ? sibling : sibling.nextElementSibling);
            button.focus();
          }
        });
        fieldset.appendChild(list);
        break;
      }
      case "matching": {
        const table = el(doc, "div", { class: "matching" });
        question.pairs.forEach((pair, k) => {
          const id = `${name}-${k}`;
          const select = el(doc, "select", { id, "data-left": pair.id }, [el(doc, "option", { value: "", text: t("select") })]);
          for (const i of order) {
            select.appendChild(el(doc, "option", { value: question.pairs[i].id, text: question.pairs[i].right[lang] }));
          }
          table.appendChild(el(doc, "div", { class: "match" }, [el(doc, "label", { for: id, text: pair.left[lang] }), select]));
        });
        fieldset.appendChild(table);
        break;
      }
      default: {
        const numeric = question.type === "numeric";
        const id = `${name}-input`;
        const input = el(doc, "input", { type: "text", id, name, autocomplete: "off", inputmode: numeric ? "decimal" : "text" });
        const unit = numeric && question.unit ? el(doc, "span", { class: "unit", text: question.unit[lang] }) : null;
        fieldset.appendChild(
          el(doc, "div", { class: "typed" }, [el(doc, "label", { for: id, text: t("answer") }), input].concat(unit ? [unit] : [])),
        );
      }
    }
    return fieldset;
  }

  /** The learner's answer from a rendered fieldset, or undefined when the question is unanswered. */
  function collect(fieldset, question) {
    const checked = () => Array.from(fieldset.querySelectorAll("input:checked")).map((input) => input.value);
    switch (question.type) {
      case "single":
      case "multiple": {
        const chosen = checked();
        return chosen.length > 0 ? { type: "choices", value: chosen } : undefined;
      }
      case "true_false": {
        const [chosen] = checked();
        return chosen === undefined ? undefined : { type: "bool", value: chosen === "true" };
      }
      case "ordering":
        return { type: "order", value: Array.from(fieldset.querySelectorAll("li[data-item]")).map((li) => li.dataset.item) };
      case "matching": {
        const value = {};
        for (const select of fieldset.querySelectorAll("select[data-left]")) {
          if (select.value) {
            value[select.dataset.left] = select.value;
          }
        }
        return Object.keys(value).length > 0 ? { type: "matches", value } : undefined;
      }
      case "numeric": {
        const text = fieldset.querySelector("input").value.normalize("NFKC").trim().replace(",", ".");
        const number = Number(text);
        return text === "" || !Number.isFinite(number) ? undefined : { type: "number", value: number };
      }
      default: {
        const text = fieldset.querySelector("input").value;
        return text.trim() === "" ? undefined : { type: "text", value: text };
      }
    }
  }

  /** Shows the verdict, the chosen options' feedback and the explanation under a question. */
  function showResult(doc, fieldset, question, result, answer, lang, t) {
    for (const control of fieldset.querySelectorAll("input, select, button")) {
      control.disabled = true;
    }
    let verdict = t("wrong");
    if (result.correct) {
      verdict = t("correct");
    } else if (result.points > 0) {
      verdict = t("partly");
    }
    const box = el(doc, "div", { class: `feedback ${result.correct ? "is-correct" : "is-wrong"}` }, [
      el(doc, "p", { class: "verdict", text: answer === undefined ? t("unanswered") : verdict }),
    ]);
    if (answer && answer.type === "choices") {
      for (const option of question.options) {
        if (answer.value.includes(option.id) && option.feedback) {
          box.appendChild(el(doc, "p", { text: option.feedback[lang] }));
        }
      }
    }
    if (question.explanation) {
      box.appendChild(el(doc, "div", { class: "explanation", html: question.explanation[lang] }));
    }
    fieldset.appendChild(box);
  }

  return { render, collect, showResult };
});
