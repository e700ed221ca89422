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

  // A page brought back from the back-forward cache is fetched again: the server decides what it
  // may still show (nothing of a person who has handed a shared device on).
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) window.location.reload();
  });

  // On a shared device: a countdown to the moment the answers are cleared for the next person.
  // The server keeps the same deadline and clears them without this script too; using the page
  // tells the server, at most every few seconds, that someone is still here. On the offline page
  // (offline.js) there is no server to tell: the countdown waits while it is hidden (on the start
  // section) and at zero says "idle" to that page, which clears the answers itself.
  var shared = document.getElementById("shared-device");
  if (shared) {
    var idle = Number(shared.getAttribute("data-idle")) * 1000;
    var alive = shared.getAttribute("data-alive");
    var handOver = document.getElementById("hand-over");
    var clock = shared.querySelector(".clock");
    var warning = shared.querySelector(".idle-warn");
    var warningText = document.getElementById("idle-warning").content.textContent;
    var contact = Date.now(), asking = false, timer;
    var leave = function () {
      if (!handOver) {
        contact = Date.now();
        shared.dispatchEvent(new CustomEvent("idle"));
        return;
      }
      window.clearInterval(timer);
      handOver.elements.reason.value = "idle";
      handOver.submit();
    };
    var stillHere = function () {
      if (!alive) { contact = Date.now(); return; }
      if (asking || Date.now() - contact < Math.min(idle / 4, 15000)) return;
      var sent = Date.now();
      asking = true;
      fetch(alive, {method: "POST", credentials: "same-origin",
                    headers: {"X-CSRFToken": handOver.querySelector("[name=csrf_token]").value}})
        .then(function (reply) {
          asking = false;
          if (reply.status === 204) contact = sent;
          // Gone: the server has cleared the answers and the cookie already.
          else if (reply.status === 410) window.location.replace(shared.getAttribute("data-next"));
        }, function () { asking = false; });
    };
    ["keydown", "pointerdown", "input", "scroll"].forEach(function (name) {
      document.addEventListener(name, stillHere, {passive: true});
    });
    var tick = function () {
      if (shared.hidden) {
        contact = Date.now();
        return;
      }
      var left = Math.max(0, Math.ceil((contact + idle - Date.now()) / 1000));
      clock.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
      var warn = left <= Math.min(60, idle / 2000);
      if (warn !== (warning.textContent !== "")) warning.textContent = warn ? warningText : "";
      if (left === 0) leave();
    };
    shared.querySelector(".countdown").hidden = false;
    tick();
    timer = window.setInterval(tick, 1000);
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

  // Links between the survey's own pages ("Change", "Back", "Start again") replace the page too.
  document.querySelectorAll("a[data-replace-history]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      window.location.replace(link.href);
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
