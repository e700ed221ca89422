// Progressive enhancements only: every page works without this file.
(function () {
  "use strict";
  var exit = document.getElementById("quick-exit");
  function leave(event) {
    if (event) event.preventDefault();
    // Forget this browser's answers in progress, then replace the page so Back cannot return here.
    if (navigator.sendBeacon) navigator.sendBeacon(exit.getAttribute("data-exit"));
    window.location.replace(exit.href);
  }
  if (exit) {
    exit.addEventListener("click", leave);
    var tip = document.querySelector(".exit-tip");
    if (tip) tip.hidden = false;
    var presses = [];
    document.addEventListener("keydown", function (event) {
      // Only Shift three times in a row: capitals typed in an answer ("LE4 6AB") must not leave.
      if (event.key !== "Shift") { presses = []; return; }
      if (event.repeat) return;
      var now = Date.now();
      presses = presses.filter(function (t) { return now - t < 2000; });
      presses.push(now);
      if (presses.length >= 3) leave();
    });
  }

  // "None of these" cannot be ticked with any other option.
  document.querySelectorAll("input[data-exclusive]").forEach(function (only) {
    var group = document.querySelectorAll('input[name="' + only.name + '"]');
    group.forEach(function (box) {
      box.addEventListener("change", function () {
        if (!box.checked) return;
        group.forEach(function (other) {
          if (other !== box && (box === only || other === only)) other.checked = false;
        });
      });
    });
  });

  // Questions that depend on an answer on the same page appear only when they apply.
  document.documentElement.classList.add("js");
  var conditionals = document.querySelectorAll(".cond[data-show-if]");
  function refresh() {
    conditionals.forEach(function (block) {
      var inputs = document.querySelectorAll('input[name="' + block.getAttribute("data-show-if") + '"]');
      if (!inputs.length) return;
      var wanted = block.getAttribute("data-values").split(" ");
      var applies = Array.prototype.some.call(inputs, function (i) {
        return i.checked && wanted.indexOf(i.value) !== -1;
      });
      block.hidden = !applies;
      var hint = block.querySelector(":scope > .hint");
      if (hint) hint.hidden = true;
    });
  }
  if (conditionals.length) {
    document.addEventListener("change", refresh);
    refresh();
  }

  // The error summary takes focus; its links bring the whole question into view, not just the box.
  var summary = document.querySelector(".err-sum");
  if (summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest('a[href^="#"]');
      var field = link && document.getElementById(link.getAttribute("href").slice(1));
      var question = field && field.closest(".q");
      if (!question) return;
      event.preventDefault();
      question.scrollIntoView();
      field.focus({preventScroll: true});
    });
  }
})();
