/* The topic editor: live checking of the query, the examples' rows, running the examples.
 *
 * - As you type a query, it is sent (after a pause) to POST /listening/topics/check, which
 *   answers with its problems in the page's language; each problem is listed with its column,
 *   message and hint, and the query is shown under the box with the problems' places marked.
 * - "Add an example" and "Remove this example" add and remove rows (a row is a copy of the
 *   page's <template>); without JavaScript, empty rows are there to fill and an emptied row is
 *   dropped when the form is sent.
 * - "Run the examples" posts the query and the examples to POST /api/v1/topics/test and shows
 *   each row's result in place; when that fails, the form is sent instead (the server runs them).
 * - In a preview, "Exclude" adds NOT <word> to the query.
 *
 * Requests carry the session's CSRF token in the X-CSRF-Token header. Text is only ever set
 * with textContent: nothing from the server or the user is parsed as HTML.
 */
(function () {
  "use strict";
  var form = document.getElementById("topic-form");
  if (!form || !window.fetch) {
    return;
  }
  var query = document.getElementById("t-query");
  var status = document.getElementById("query-status");
  var list = document.getElementById("query-problems");
  var marks = document.getElementById("query-marks");
  var rows = document.getElementById("example-rows");
  var template = document.getElementById("example-template");
  var summary = document.getElementById("examples-summary");
  var csrf = form.querySelector("input[name=csrf_token]").value;
  var text = function (name) {
    return form.getAttribute("data-" + name) || "";
  };
  var fill = function (pattern, values) {
    return pattern.replace(/\{(\w+)\}/g, function (whole, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : whole;
    });
  };

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRF-Token": csrf
      },
      body: JSON.stringify(body)
    }).then(function (response) {
      if (!response.ok) {
        throw new Error("HTTP " + response.status);
      }
      return response.json();
    });
  }

  // -- live checking of the query -------------------------------------------------------------

  function clear(element) {
    while (element.firstChild) {
      element.removeChild(element.firstChild);
    }
  }

  function span(className, value) {
    var element = document.createElement("span");
    element.className = className;
    element.textContent = value;
    return element;
  }

  function showMarks(value, problems) {
    clear(marks);
    if (!problems.length || !value) {
      marks.hidden = true;
      return;
    }
    var marked = [];
    var i;
    for (i = 0; i < value.length; i += 1) {
      marked.push(false);
    }
    problems.forEach(function (problem) {
      var start = Math.min(Math.max(problem.start, 0), value.length - 1);
      var end = Math.min(Math.max(problem.end, start + 1), value.length);
      for (i = start; i < end; i += 1) {
        marked[i] = true;
      }
    });
    var begin = 0;
    for (i = 1; i <= value.length; i += 1) {
      if (i === value.length || marked[i] !== marked[begin]) {
        var piece = value.slice(begin, i);
        if (marked[begin]) {
          var mark = document.createElement("mark");
          mark.textContent = piece;
          marks.appendChild(mark);
        } else {
          marks.appendChild(document.createTextNode(piece));
        }
        begin = i;
      }
    }
    marks.hidden = false;
  }

  function showProblems(value, problems) {
    clear(list);
    problems.forEach(function (problem) {
      var item = document.createElement("li");
      item.className = "problem";
      item.setAttribute("data-code", problem.code);
      item.setAttribute("data-start", String(problem.start));
      item.setAttribute("data-end", String(problem.end));
      item.appendChild(span("problem-where", fill(text("column"), { n: problem.column })));
      item.appendChild(document.createTextNode(" "));
      item.appendChild(span("problem-message", problem.message));
      item.appendChild(document.createTextNode(" "));
      item.appendChild(span("problem-hint", problem.hint));
      list.appendChild(item);
    });
    showMarks(value, problems);
    if (!problems.length) {
      status.textContent = value.trim() ? text("no-problem") : "";
    } else if (problems.length === 1) {
      status.textContent = text("one-problem");
    } else {
      status.textContent = fill(text("problems"), { n: problems.length });
    }
    query.setAttribute("aria-invalid", problems.length ? "true" : "false");
  }

  var timer = null;
  var asked = 0;

  function checkNow() {
    var value = query.value;
    asked += 1;
    var mine = asked;
    if (!value.trim()) {
      showProblems(value, []);
      return Promise.resolve([]);
    }
    return post(form.getAttribute("data-check-url"), { query: value })
      .then(function (data) {
        if (mine === asked) {
          showProblems(value, data.problems || []);
        }
        return data.problems || [];
      })
      .catch(function () {
        if (mine === asked) {
          status.textContent = text("check-failed");
        }
        return [];
      });
  }

  function checkSoon() {
    window.clearTimeout(timer);
    timer = window.setTimeout(checkNow, 300);
  }

  query.addEventListener("input", checkSoon);
  if (query.value.trim() && !list.children.length) {
    checkNow();
  }

  // -- example rows ---------------------------------------------------------------------------

  var made = rows.children.length;

  function renumber() {
    Array.prototype.forEach.call(rows.children, function (row, index) {
      var number = row.querySelector(".example-number");
      if (number) {
        number.textContent = String(index + 1);
      }
    });
  }

  function wire(row) {
    var remove = row.querySelector(".remove-example");
    remove.hidden = false;
    remove.addEventListener("click", function () {
      var next = row.nextElementSibling || row.previousElementSibling;
      rows.removeChild(row);
      if (!rows.children.length) {
        addRow();
      } else {
        renumber();
        var focusable = next && next.querySelector("textarea");
        if (focusable) {
          focusable.focus();
        }
      }
    });
  }

  function addRow() {
    var copy = template.content.firstElementChild.cloneNode(true);
    made += 1;
    Array.prototype.forEach.call(copy.querySelectorAll("[id], label[for]"), function (element) {
      ["id", "for"].forEach(function (name) {
        var value = element.getAttribute(name);
        if (value) {
          element.setAttribute(name, value.replace("ex-new-", "ex-" + made + "-"));
        }
      });
    });
    rows.appendChild(copy);
    wire(copy);
    renumber();
    return copy;
  }

  Array.prototype.forEach.call(rows.children, wire);
  var add = document.getElementById("add-example");
  add.hidden = false;
  add.addEventListener("click", function () {
    addRow().querySelector("textarea").focus();
  });

  // -- running the examples -------------------------------------------------------------------

  var OPTIONAL = ["title", "lang", "platform", "author", "url", "note"];

  function filledRows() {
    return Array.prototype.filter.call(rows.children, function (row) {
      return row.querySelector("[name=ex_text]").value.trim() !== "";
    });
  }

  function exampleOf(row) {
    var example = {
      text: row.querySelector("[name=ex_text]").value,
      expect: row.querySelector("[name=ex_expect]").value
    };
    OPTIONAL.forEach(function (name) {
      var value = row.querySelector("[name=ex_" + name + "]").value.trim();
      if (value) {
        example[name] = value;
      }
    });
    return example;
  }

  function showResult(row, result) {
    var place = row.querySelector(".example-result");
    clear(place);
    row.classList.remove("example-failed");
    if (!result) {
      return;
    }
    var reason = result.passed
      ? text("passes")
      : result.expect === "match"
        ? text("should-match")
        : text("should-not-match");
    place.appendChild(
      span("result " + (result.passed ? "result-pass" : "result-fail"), (result.passed ? "✓ " : "✗ ") + reason)
    );
    if (!result.passed) {
      row.classList.add("example-failed");
    }
  }

  var run = document.getElementById("run-examples");
  var sendingForm = false;
  run.addEventListener("click", function (event) {
    if (sendingForm) {
      return;
    }
    event.preventDefault();
    var filled = filledRows();
    Array.prototype.forEach.call(rows.children, function (row) {
      showResult(row, null);
    });
    if (!filled.length) {
      summary.textContent = text("no-examples");
      return;
    }
    post(form.getAttribute("data-test-url"), {
      query: query.value,
      examples: filled.map(exampleOf)
    })
      .then(function (data) {
        if (data.problems && data.problems.length) {
          summary.textContent = text("fix-query");
          checkNow();
          return;
        }
        filled.forEach(function (row, index) {
          showResult(row, data.results[index]);
        });
        summary.textContent = data.failed
          ? fill(text("some-fail"), { failed: data.failed, n: data.results.length })
          : fill(text("all-pass"), { n: data.results.length });
      })
      .catch(function () {
        // An example the API refuses (too long, say): let the server run them and explain.
        sendingForm = true;
        if (form.requestSubmit) {
          form.requestSubmit(run);
        } else {
          run.click();
        }
      });
  });

  // -- excluding a word found by the preview ----------------------------------------------------

  function exclude(term) {
    var written = /^[#@]?[\p{L}\p{N}_]+$/u.test(term) ? term : '"' + term.replace(/"/g, "") + '"';
    var current = query.value.trim();
    // AND binds tighter than OR: a query with OR is put in parentheses first.
    if (/\bOR\b/.test(current)) {
      current = "(" + current + ")";
    }
    query.value = current + " NOT " + written;
    query.focus();
    query.scrollIntoView({ block: "center" });
    checkNow();
  }

  Array.prototype.forEach.call(document.querySelectorAll("#preview .preview-terms li"), function (item) {
    var word = item.querySelector(".term");
    if (!word) {
      return;
    }
    var term = word.textContent;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button small exclude-term";
    button.textContent = text("exclude");
    button.setAttribute("aria-label", fill(text("exclude-label"), { term: term }));
    button.addEventListener("click", function () {
      exclude(term);
    });
    item.appendChild(button);
  });
})();
