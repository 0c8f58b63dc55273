/* The Stream's live banner: "3 new mentions — Show".
 *
 * Polls the URL in the banner's data-url (GET /api/v1/mentions/new-count with the page's filters
 * and the cursor of the newest mention it shows) and reveals the banner when mentions arrived.
 * Text is set with textContent only: nothing from the server is ever parsed as HTML.
 * Without JavaScript the page works the same; it just does not announce new mentions.
 */
(function () {
  "use strict";
  var banner = document.getElementById("new-mentions");
  if (!banner || !window.fetch) {
    return;
  }
  var url = banner.getAttribute("data-url");
  var one = banner.getAttribute("data-one") || "1";
  var many = banner.getAttribute("data-many") || "{n}";
  var text = banner.querySelector(".new-text");
  var every = Number(banner.getAttribute("data-interval-ms")) || 5000;
  var lang = document.documentElement.lang || undefined;
  var number = window.Intl ? new Intl.NumberFormat(lang) : null;
  var timer = null;

  function show(count, capped) {
    var shown = (number ? number.format(count) : String(count)) + (capped ? "+" : "");
    text.textContent = count === 1 && !capped ? one : many.replace("{n}", shown);
    banner.hidden = false;
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(poll, every);
  }

  function poll() {
    if (document.hidden) {
      schedule();
      return;
    }
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (data && typeof data.count === "number" && data.count > 0) {
          show(data.count, Boolean(data.capped));
        }
      })
      .catch(function () {
        /* The server is restarting or the network is down: try again at the next tick. */
      })
      .then(schedule);
  }

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) {
      poll();
    }
  });
  schedule();
})();
