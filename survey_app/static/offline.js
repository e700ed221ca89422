// Links that work without a signal (taking/offline.py). On such a link's start page: keep the
// survey on this device with a service worker, then take it in one page. On that page: one section
// at a time, each page checked as the server checks it, and completed surveys queued on the device
// and sent whenever the server can be reached. Answers being given are never stored anywhere; only
// a completed survey is, until it is sent.
(function () {
  "use strict";
  var QUEUE = "insight-offline-queue";
  var DEVICE_LANGUAGE = "insight-offline-language";

  var link = document.getElementById("offline-link");
  if (link) {
    if (!("serviceWorker" in navigator) || !window.localStorage) return;
    navigator.serviceWorker.register(link.getAttribute("data-worker")).then(function () {
      window.location.replace(link.getAttribute("data-page"));
    }, function () { /* not kept: the survey goes on page by page */ });
    return;
  }
  var root = document.getElementById("offline");
  if (!root) return;
  // Completed surveys are sealed before they are kept (see send): without Web Crypto, page by page.
  if (!window.localStorage || !window.crypto || !window.crypto.subtle) {
    document.querySelector(".o-unsupported").hidden = false;
    return;
  }
  root.hidden = false;

  var texts = document.getElementById("offline-texts").dataset;
  var rules = JSON.parse(document.getElementById("offline-rules").textContent);
  var start = document.getElementById("o-start");
  var check = document.getElementById("o-check");
  var thanks = document.getElementById("o-thanks");
  var pages = Array.prototype.slice.call(root.querySelectorAll(".o-page"));
  var items = Array.prototype.slice.call(root.querySelectorAll(".o-item"));
  var shared = document.getElementById("shared-device");
  var language = document.documentElement.lang;
  var numbers = new Intl.NumberFormat(language);
  var current = start;
  var changing = false;

  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (whole, name) { return name in values ? values[name] : whole; });
  }

  function make(tag, className, text) {
    var element = document.createElement(tag);
    if (className) element.className = className;
    if (text !== undefined) element.textContent = text;
    return element;
  }

  // --- Answers ------------------------------------------------------------------------------------

  function read(key) {
    var rule = rules[key];
    var inputs = root.querySelectorAll('[name="' + key + '"]');
    if (rule.control === "radios" || rule.control === "checkboxes") {
      var chosen = Array.prototype.filter.call(inputs, function (input) { return input.checked; })
        .map(function (input) { return input.value; });
      if (!chosen.length) return undefined;
      return rule.control === "checkboxes" ? chosen : chosen[0];
    }
    var text = inputs[0].value.trim();
    return text ? text : undefined;
  }

  // The answers that apply, in questionnaire order, as the server works them out: a question shown
  // only for some answers applies when an earlier answer that applies is one of them.
  function collect() {
    var kept = {}, applies = new Map();
    items.forEach(function (block) {
      var on = block.getAttribute("data-if");
      var applied = true;
      if (on) {
        var wanted = block.getAttribute("data-values").split(" ");
        var answer = kept[on];
        applied = Array.isArray(answer) ? answer.some(function (v) { return wanted.indexOf(v) !== -1; })
          : wanted.indexOf(answer) !== -1;
        block.hidden = !applied;
      }
      applies.set(block, applied);
      if (!applied) return;
      block.getAttribute("data-keys").split(" ").forEach(function (key) {
        var value = read(key);
        if (value !== undefined) kept[key] = value;
      });
    });
    return {kept: kept, applies: applies};
  }

  function blocksOf(page, state) {
    return Array.prototype.filter.call(page.querySelectorAll(".o-item"), function (block) {
      return state.applies.get(block);
    });
  }

  function visiblePages(state) {
    return pages.filter(function (page) { return blocksOf(page, state).length > 0; });
  }

  // --- Checks, with the server's rules and messages -----------------------------------------------

  var ZEROS = [0x30, 0x660, 0x6f0, 0x966, 0x9e6, 0xa66, 0xae6, 0xbe6];
  function whole(text) {
    var digits = text.replace(/\p{Nd}/gu, function (digit) {
      var code = digit.codePointAt(0);
      var zero = ZEROS.find(function (z) { return code >= z && code <= z + 9; });
      return zero === undefined ? digit : String(code - zero);
    });
    return /^[+-]?\d+$/.test(digits) ? Number(digits) : null;
  }

  function problem(rule, value) {
    if (value === undefined) return rule.optional ? null : rule.required;
    if (rule.control === "checkboxes") {
      var alone = value.filter(function (v) { return rule.exclusive && v in rule.exclusive; }).sort();
      if (alone.length && value.length > 1) return rule.exclusive[alone[0]];
      if (rule.max_choices && value.length > rule.max_choices) return rule.too_many;
    } else if (rule.control === "number") {
      var number = whole(value);
      if (number === null) return rule.not_whole;
      if ((rule.min !== null && number < rule.min) || (rule.max !== null && number > rule.max)) {
        return rule.out_of_range;
      }
    } else if (rule.max_length) {
      var length = Array.from(value).length;
      if (length > rule.max_length) return fill(rule.too_long, {length: numbers.format(length)});
    }
    return null;
  }

  function problems(page, state) {
    var found = [];
    blocksOf(page, state).forEach(function (block) {
      block.getAttribute("data-keys").split(" ").forEach(function (key) {
        var message = problem(rules[key], state.kept[key]);
        if (message) found.push({key: key, message: message});
      });
    });
    return found;
  }

  function questionText(key) {
    var label = document.getElementById("q-" + key).querySelector("legend, label.label");
    var copy = label.cloneNode(true);
    copy.querySelectorAll(".opt").forEach(function (part) { part.remove(); });
    return copy.textContent.trim();
  }

  function fieldOf(key) {
    return document.getElementById(key) || document.getElementById(key + "-1");
  }

  function clearErrors(page) {
    page.querySelector(".o-errors").textContent = "";
    page.querySelectorAll(".err-msg").forEach(function (message) { message.remove(); });
    page.querySelectorAll(".has-err").forEach(function (question) { question.classList.remove("has-err"); });
    page.querySelectorAll("[data-error-of]").forEach(function (described) {
      var ids = described.getAttribute("aria-describedby").split(" ").filter(function (id) {
        return id !== described.getAttribute("data-error-of");
      });
      if (ids.length) described.setAttribute("aria-describedby", ids.join(" "));
      else described.removeAttribute("aria-describedby");
      described.removeAttribute("data-error-of");
    });
  }

  // The same error summary and messages as the server's pages.
  function showErrors(page, found) {
    var summary = make("div", "err-sum");
    summary.setAttribute("role", "alert");
    summary.tabIndex = -1;
    var title = make("h2", "", texts.problem);
    title.id = "err-title";
    summary.setAttribute("aria-labelledby", title.id);
    var list = make("ul");
    found.forEach(function (error) {
      var question = document.getElementById("q-" + error.key);
      var item = make("li");
      var jump = make("a");
      jump.href = "#" + fieldOf(error.key).id;
      jump.append(make("span", "err-q", questionText(error.key)), " " + error.message);
      jump.addEventListener("click", function (event) {
        event.preventDefault();
        question.scrollIntoView();
        fieldOf(error.key).focus({preventScroll: true});
      });
      item.append(jump);
      list.append(item);
      question.classList.add("has-err");
      var message = make("p", "err-msg");
      message.id = error.key + "-error";
      message.append(make("span", "vh", texts.error), " " + error.message);
      var after = question.querySelector(":scope > .hint:last-of-type") || question.querySelector("legend, label.label");
      after.after(message);
      var described = question.tagName === "FIELDSET" ? question : fieldOf(error.key);
      var ids = (described.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      described.setAttribute("aria-describedby", ids.concat(message.id).join(" "));
      described.setAttribute("data-error-of", message.id);
    });
    summary.append(title, list);
    page.querySelector(".o-errors").append(summary);
    window.scrollTo(0, 0);
    summary.focus();
  }

  // --- Moving between sections --------------------------------------------------------------------

  function show(section, focus) {
    [start, check, thanks].concat(pages).forEach(function (other) { other.hidden = other !== section; });
    current = section;
    if (shared) shared.hidden = section === start;
    var state = collect();
    var position = visiblePages(state).indexOf(section);
    if (position !== -1) {
      var count = visiblePages(state).length;
      section.querySelector(".step").textContent = fill(texts.step, {
        step: numbers.format(position + 1), steps: numbers.format(count)});
    }
    window.scrollTo(0, 0);
    (focus || section.querySelector("h1")).focus();
  }

  function answerText(key, value) {
    if (value === undefined) return null;
    if (rules[key].control === "radios" || rules[key].control === "checkboxes") {
      return Array.prototype.filter.call(root.querySelectorAll('[name="' + key + '"]'), function (input) {
        return input.checked;
      }).map(function (input) {
        return root.querySelector('label[for="' + input.id + '"]').textContent.trim();
      }).join("; ");
    }
    return value;
  }

  function summarise(state) {
    var box = check.querySelector(".o-summary");
    box.textContent = "";
    var section = null;
    visiblePages(state).forEach(function (page) {
      if (page.getAttribute("data-section") !== section) {
        box.append(make("h2", "", page.querySelector("h1").textContent));
      }
      section = page.getAttribute("data-section");
      var list = make("dl", "summary");
      blocksOf(page, state).forEach(function (block) {
        block.getAttribute("data-keys").split(" ").forEach(function (key) {
          var row = make("div");
          var answer = answerText(key, state.kept[key]);
          var given = make("dd");
          if (answer === null) given.append(make("span", "hint", texts.notAnswered));
          else {
            var text = make("span", "", answer);
            text.dir = "auto";
            given.append(text);
          }
          var change = make("a", "", texts.change);
          change.href = "#q-" + key;
          change.append(make("span", "vh", " " + questionText(key)));
          change.addEventListener("click", function (event) {
            event.preventDefault();
            changing = true;
            show(page, fieldOf(key));
            document.getElementById("q-" + key).scrollIntoView();
          });
          var changeCell = make("dd");
          changeCell.append(change);
          row.append(make("dt", "", questionText(key)), given, changeCell);
          list.append(row);
        });
      });
      box.append(list);
    });
  }

  // "Check your answers", or first a page that still needs an answer (a changed answer can make one apply).
  function toCheck() {
    var state = collect();
    var due = visiblePages(state).find(function (page) { return problems(page, state).length; });
    if (due) {
      show(due);
      return;
    }
    summarise(state);
    check.querySelector(".o-full").hidden = true;
    show(check);
  }

  function clearAnswers() {
    pages.forEach(function (page) {
      page.querySelector("form").reset();
      clearErrors(page);
    });
    check.querySelector(".o-summary").textContent = "";
    changing = false;
    collect();
  }

  // The next person starts afresh, in the language the device was first opened in.
  function handOn() {
    clearAnswers();
    var first = window.sessionStorage.getItem(DEVICE_LANGUAGE);
    var there = first && first !== language && root.querySelector('.langs a[hreflang="' + first + '"]');
    if (there) window.location.replace(there.href);
    else show(start);
  }

  pages.forEach(function (page) {
    var form = page.querySelector("form");
    // The button pressed, for browsers without SubmitEvent.submitter (Safari before 15.4).
    var pressed = "next";
    form.addEventListener("click", function (event) {
      var button = event.target.closest("button[name=action]");
      if (button) pressed = button.value;
    });
    form.addEventListener("keydown", function (event) {
      if (event.key === "Enter") pressed = "next";
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var state = collect();
      var visible = visiblePages(state);
      var position = visible.indexOf(page);
      var action = event.submitter ? event.submitter.value : pressed;
      pressed = "next";
      if (action === "back") {
        clearErrors(page);
        show(position > 0 ? visible[position - 1] : start);
        return;
      }
      var found = problems(page, state);
      if (found.length) {
        clearErrors(page);
        showErrors(page, found);
        return;
      }
      clearErrors(page);
      if (changing || position === visible.length - 1) toCheck();
      else show(visible[position + 1]);
    });
  });

  // --- The queue ----------------------------------------------------------------------------------

  function queue() {
    try {
      return JSON.parse(window.localStorage.getItem(QUEUE)) || [];
    } catch (error) {
      return [];
    }
  }

  function keep(items) {
    window.localStorage.setItem(QUEUE, JSON.stringify(items));
  }

  function base64url(bytes) {
    return btoa(String.fromCharCode.apply(null, new Uint8Array(bytes)))
      .replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function fromBase64url(text) {
    var binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from(binary, function (c) { return c.charCodeAt(0); });
  }

  // Sealed for the server alone (taking/offline.py opens it): ECDH with a new P-256 key for each
  // survey and the server's public key, HKDF, then AES-GCM bound to the survey's random key. Nobody
  // holding the device can read a waiting survey, not even the page that sealed it.
  var subtle = window.crypto.subtle;
  var encoder = new TextEncoder();
  var serverKey = subtle.importKey("raw", fromBase64url(root.getAttribute("data-seal")),
                                   {name: "ECDH", namedCurve: "P-256"}, false, []);
  function seal(key, content) {
    var iv = window.crypto.getRandomValues(new Uint8Array(12));
    return Promise.all([serverKey, subtle.generateKey({name: "ECDH", namedCurve: "P-256"}, true, ["deriveBits"])])
      .then(function (keys) {
        return Promise.all([
          subtle.deriveBits({name: "ECDH", public: keys[0]}, keys[1].privateKey, 256)
            .then(function (bits) { return subtle.importKey("raw", bits, "HKDF", false, ["deriveKey"]); })
            .then(function (shared) {
              return subtle.deriveKey({name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0),
                                       info: encoder.encode("insight offline queue")},
                                      shared, {name: "AES-GCM", length: 256}, false, ["encrypt"]);
            })
            .then(function (aes) {
              return subtle.encrypt({name: "AES-GCM", iv: iv, additionalData: encoder.encode(key)}, aes,
                                    encoder.encode(JSON.stringify(content)));
            }),
          subtle.exportKey("raw", keys[1].publicKey)]);
      })
      .then(function (parts) {
        return {epk: base64url(parts[1]), iv: base64url(iv), data: base64url(parts[0])};
      });
  }

  function newKey() {
    return base64url(window.crypto.getRandomValues(new Uint8Array(16)));
  }

  function showQueue() {
    var items = queue();
    var refused = items.filter(function (item) { return item.refused; });
    var waiting = items.length - refused.length;
    var parts = [];
    if (waiting) parts.push(fill(texts.waiting, {count: numbers.format(waiting)}));
    if (refused.length) {
      parts.push(fill(texts.refused, {count: numbers.format(refused.length), reason: refused[0].refused}));
    }
    var text = parts.length ? parts.join(" ") : sentHere ? texts.allSent : "";
    root.querySelectorAll(".o-queue").forEach(function (status) {
      if (status.textContent !== text) status.textContent = text;
    });
  }

  var sending = false;
  // Something was sent from this page: "every survey has been sent" then means something.
  var sentHere = false;
  // Sends the queue one survey at a time; stops at the first that cannot reach the server.
  function flush() {
    var next = queue().find(function (item) { return !item.refused; });
    // Known to be offline: no try until the browser says the signal is back (the "online" event).
    if (sending || !next || navigator.onLine === false) {
      showQueue();
      return;
    }
    sending = true;
    var body = JSON.stringify({key: next.key, via: next.via, sealed: next.sealed});
    fetch(next.url, {method: "POST", credentials: "same-origin", body: body,
                     headers: {"Content-Type": "application/json"}})
      .then(function (reply) {
        if (reply.ok) return "sent";
        // Refused as it is: kept on the device and tried again when the page is next opened.
        if (reply.status >= 400 && reply.status < 500 && reply.status !== 408 && reply.status !== 429) {
          return reply.json().then(function (answer) { return answer.error; }, function () {
            return String(reply.status);
          });
        }
        return null;
      }, function () { return null; })
      .then(function (outcome) {
        sending = false;
        if (outcome === "sent") sentHere = true;
        if (outcome) {
          keep(queue().flatMap(function (item) {
            if (item.key !== next.key) return [item];
            return outcome === "sent" ? [] : [Object.assign(item, {refused: outcome})];
          }));
        }
        showQueue();
        if (outcome) flush();
      });
  }

  var sealing = false;
  function send() {
    var full = check.querySelector(".o-full");
    var limit = Number(root.getAttribute("data-limit"));
    var refuse = function (count) {
      full.textContent = fill(texts.full, {count: numbers.format(count)});
      full.hidden = false;
      full.focus();
    };
    if (sealing) return;
    if (queue().length >= limit) {
      refuse(queue().length);
      return;
    }
    sealing = true;
    var key = newKey();
    var content = {version: Number(root.getAttribute("data-version")), language: language,
                   answers: collect().kept};
    seal(key, content).then(function (sealed) {
      sealing = false;
      var items = queue();
      items.push({url: root.getAttribute("data-send"), key: key, via: root.getAttribute("data-via"),
                  sealed: sealed});
      try {
        keep(items);
      } catch (error) {  // the browser's storage is full
        refuse(items.length - 1);
        return;
      }
      clearAnswers();
      show(thanks);
      flush();
    });
  }

  root.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-go]");
    if (!button) return;
    var go = button.getAttribute("data-go");
    if (go === "start") {
      var first = visiblePages(collect())[0];
      show(first);
    } else if (go === "send") send();
    else if (go === "back") {
      var visible = visiblePages(collect());
      show(visible[visible.length - 1]);
    }
    else handOn();
  });

  // A shared device: site.js counts down and says "idle" when the answers are to be cleared.
  if (shared) shared.addEventListener("idle", handOn);

  // --- Start --------------------------------------------------------------------------------------

  if (!window.sessionStorage.getItem(DEVICE_LANGUAGE)) window.sessionStorage.setItem(DEVICE_LANGUAGE, language);
  // Surveys the server refused are tried again each time the page opens (a link reopened, say).
  keep(queue().map(function (item) {
    delete item.refused;
    return item;
  }));
  collect();
  // Questions that depend on an answer appear as soon as they apply.
  root.addEventListener("change", collect);
  flush();
  window.addEventListener("online", flush);
  window.setInterval(flush, 30000);
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(root.getAttribute("data-worker"))
      .then(function () { return navigator.serviceWorker.ready; })
      .then(function () { start.querySelector(".o-ready").hidden = false; }, function () {});
  }
})();
