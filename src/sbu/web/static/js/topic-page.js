/* A topic's page: follow the re-matching of the history while it runs.
 *
 * The "Matching the history" card carries data-progress-url (GET /api/v1/topics/{id}/rematch)
 * while a job is queued or running. This script polls it every few seconds, updates the
 * progress bar and the sentence (templates in the card's data attributes, in the page's
 * language), and reloads the page once the job has ended, so the count of matches is fresh.
 * Text is set with textContent only.
 */
(function () {
  "use strict";
  var card = document.getElementById("rematch");
  var url = card && card.getAttribute("data-progress-url");
  if (!url || !window.fetch) {
    return;
  }
  var every = Number(card.getAttribute("data-interval-ms")) || 3000;
  var lang = document.documentElement.lang || undefined;
  var number = window.Intl ? new Intl.NumberFormat(lang) : null;
  var format = function (value) {
    return number ? number.format(value) : String(value);
  };

  function show(job) {
    var line = card.querySelector(".rematch");
    var bar = card.querySelector("progress");
    var pattern = card.getAttribute("data-" + job.status);
    if (line && pattern) {
      line.textContent = pattern
        .replace("{done}", format(job.done))
        .replace("{total}", format(job.total))
        .replace("{percent}", String(job.percent));
    }
    if (bar) {
      bar.max = Math.max(job.total, 1);
      bar.value = job.done;
    }
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (job) {
        if (!job) {
          return;
        }
        if (job.status === "queued" || job.status === "running") {
          show(job);
          window.setTimeout(poll, every);
        } else {
          window.location.reload();
        }
      })
      .catch(function () {
        window.setTimeout(poll, every * 2);
      });
  }

  window.setTimeout(poll, every);
})();
