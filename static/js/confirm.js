/*
 * Irreversible actions ask once, naming what will happen: a form marked
 * `data-confirm="…"` is sent only after the user agrees to that sentence.
 */
(() => {
  "use strict";
  document.addEventListener("submit", (event) => {
    var form = event.target;
    var message = form.dataset?.confirm;
    if (!message || form.dataset.confirmed === "1") { return; }
    if (!window.confirm(message)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
})();

/* 打印本页: the print stylesheet (css/app.css @media print) hides the navbar, tabs and buttons. */
(() => {
  "use strict";
  document.addEventListener("click", (event) => {
    if (event.target.closest?.("[data-print]")) { window.print(); }
  });
})();
