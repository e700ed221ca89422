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
    // The Shift tip is for keyboards: shown where there is a mouse, or once Tab or Shift is pressed
    // (a phone's on-screen keyboard sends neither).
    var tip = document.querySelector(".exit-tip");
    var showTip = function () { if (tip) tip.hidden = false; };
    if (window.matchMedia && window.matchMedia("(hover: hover) and (pointer: fine)").matches) showTip();
    var presses = [];
    document.addEventListener("keydown", function (event) {
      if (event.key === "Tab" || event.key === "Shift") showTip();
      // Only Shift three times in a row: capitals typed in an answer ("LE4 6AB") must not leave.
      if (event.key !== "Shift") { presses = []; return; }
      if (event.repeat) return;
      var now = Date.now();
      presses = presses.filter(function (t) { return now - t < 2000; });
      presses.push(now);
      if (presses.length >= 3) leave();
    });
  }

  // Survey pages replace one another in the history instead of piling up, so after a quick exit
  // Back does not show the survey. Without fetch, or on any failure, the form is sent as usual.
  document.querySelectorAll("form[data-replace-history]").forEach(function (form) {
    var sending = false;
    form.addEventListener("submit", function (event) {
      var submitter = event.submitter;
      // getAttribute: form.action and form.method would find the buttons named "action".
      var method = (submitter && submitter.getAttribute("formmethod")) || form.getAttribute("method") || "get";
      if (!window.fetch || !submitter || method.toLowerCase() !== "post") return;
      event.preventDefault();
      if (sending) return;
      sending = true;
      var data = new FormData(form);
      if (submitter.name) data.append(submitter.name, submitter.value);
      var action = submitter.getAttribute("formaction") || form.getAttribute("action") || window.location.href;
      fetch(action, {method: "POST", body: new URLSearchParams(data), credentials: "same-origin"})
        .then(function (response) {
          // The page the post led to replaces this one, in the window and in the history. Written
          // as received, not fetched again: a message shown once ("Some questions still need an
          // answer") would be gone on a second request.
          return response.text().then(function (html) {
            window.history.replaceState(null, "", response.url);
            document.open();
            document.write(html);
            document.close();
            window.scrollTo(0, 0);
          });
        })
        .catch(function () {
          if (submitter.name) {
            var field = document.createElement("input");
            field.type = "hidden";
            field.name = submitter.name;
            field.value = submitter.value;
            form.appendChild(field);
          }
          form.submit();
        });
    });
  });

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
