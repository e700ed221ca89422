// Coding free-text answers without reloading the page: each answer's form is sent in the
// background and the answer's box says it was saved. Without this file the form posts and the
// page reloads at the same answer.
(function () {
  "use strict";
  document.querySelectorAll("form.code-answer").forEach(function (form) {
    var status = form.querySelector(".status");
    var chosen = form.querySelector(".chosen-themes");
    var button = form.querySelector("button[type=submit]");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      button.disabled = true;
      status.textContent = "";
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: {Accept: "application/json"},
        credentials: "same-origin"
      }).then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      }).then(function (saved) {
        status.textContent = saved.message;
        chosen.textContent = saved.themes.length ? saved.themes.join("; ") : form.getAttribute("data-none");
        button.disabled = false;
      }).catch(function () {
        // The server's own page explains any refusal (an expired session, a flagged quote).
        form.submit();
      });
    });
  });
})();
