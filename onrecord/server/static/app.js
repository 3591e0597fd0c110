// onrecord: article reader interactions. Reads only data-* attributes; never writes HTML.
(function () {
  "use strict";
  var text = document.getElementById("article-text");
  if (!text) return;
  function select(index, scroll) {
    document.querySelectorAll(".active").forEach(function (el) { el.classList.remove("active"); });
    if (index === null) return;
    text.querySelectorAll('[data-a="' + index + '"]').forEach(function (el) { el.classList.add("active"); });
    var card = document.getElementById("a" + index);
    if (card) {
      card.classList.add("active");
      if (scroll) card.scrollIntoView({block: "nearest", behavior: "smooth"});
    }
  }
  text.addEventListener("click", function (event) {
    var span = event.target.closest("[data-a]");
    select(span ? Number(span.dataset.a) : null, true);
  });
  // keyboard: every cue is focusable (tabindex) and Enter or Space selects its attribution
  text.addEventListener("keydown", function (event) {
    var span = event.target.closest("[data-a]");
    if (span && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      select(Number(span.dataset.a), true);
    }
  });
  text.addEventListener("focusin", function (event) {
    var span = event.target.closest("[data-a]");
    if (span) select(Number(span.dataset.a), false);
  });
  document.querySelectorAll(".card[data-a]").forEach(function (card) {
    card.addEventListener("mouseenter", function () { select(Number(card.dataset.a), false); });
    card.addEventListener("focusin", function () { select(Number(card.dataset.a), false); });
  });
  var hash = window.location.hash.match(/^#a(\d+)$/);
  if (hash) select(Number(hash[1]), true);
})();
