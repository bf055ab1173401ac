/* 定稿 and 退回 ask once before they are sent: a form with data-confirm="…" shows that text
 * (which names what will happen) and is sent only when the user agrees. An external file,
 * since the Content-Security-Policy forbids inline scripts. Without JavaScript the form is
 * sent as it is (the server checks everything again). */
(() => {
  "use strict";
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.getAttribute("data-confirm"))) {
        event.preventDefault();
      }
    });
  });
})();
