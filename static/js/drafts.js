/*
 * Never lose typed input on a form marked `data-keep-draft`:
 * - a warning before leaving the page while it holds unsaved changes (beforeunload);
 * - on 保存 the form's values are kept as a local draft (localStorage, per form and URL). When
 *   the save comes back — the same page with its success message — the draft is dropped; when it
 *   did not arrive (the session had ended and the login page came in between, or the CSRF token
 *   was stale), the next visit of the page restores the draft with the notice
 *   "登录已过期，内容未保存，已为您保留".
 */
(() => {
  "use strict";

  var MAX_AGE_MS = 7 * 24 * 3600 * 1000;
  var forms = document.querySelectorAll("form[data-keep-draft]");
  if (!forms.length) { return; }
  var saved = document.querySelector(".alert-success, .alert-danger");  // the server answered a save

  function keyOf(form, i) { return `perfeval-draft:${location.pathname}:${form.id || form.dataset.keepDraft || i}`; }
  function values(form) {
    var out = {};
    Array.prototype.forEach.call(form.elements, (el) => {
      if (!el.name || el.name === "csrfmiddlewaretoken" || el.type === "submit" || el.type === "button" || el.type === "file") { return; }
      out[el.name] = el.type === "checkbox" || el.type === "radio" ? (el.checked ? el.value || "on" : null) : el.value;
    });
    return out;
  }
  function restore(form, data) {
    var adder = form.querySelector("[data-add-row]");
    var guard = 0;
    Object.keys(data).forEach((name) => {
      var el = form.elements.namedItem(name);
      while (!el && adder && /^[a-z_]+-\d+-/.test(name) && guard < 500) {
        adder.click();
        guard++;
        el = form.elements.namedItem(name);
      }
      if (!el) { return; }
      if (el instanceof RadioNodeList) { el.value = data[name] || ""; return; }
      // TOTAL_FORMS follows the rows added above; everything else (the version too, so that
      // another user's save in between is still caught as a conflict) comes back as typed.
      if (el.type === "checkbox") { el.checked = data[name] !== null; } else if (!/-TOTAL_FORMS$/.test(name)) { el.value = data[name]; }
    });
    Array.prototype.forEach.call(form.elements, (el) => {
      if (el.name && Object.hasOwn(data, el.name)) { el.dispatchEvent(new Event("input", { bubbles: true })); }
    });
  }
  function notice(form) {
    var div = document.createElement("div");
    div.className = "alert alert-warning";
    div.setAttribute("role", "alert");
    div.dataset.testid = "draft-restored";
    div.textContent = "登录已过期，内容未保存，已为您保留。请检查后再点“保存”。";
    form.parentElement.insertBefore(div, form);
  }

  var dirty = false;
  forms.forEach((form, i) => {
    var key = keyOf(form, i);
    var text = null;
    try { text = localStorage.getItem(key); } catch (_e) { /* storage off */ }
    if (text) {
      const draft = JSON.parse(text);
      if (saved || Date.now() - draft.at > MAX_AGE_MS) {
        try { localStorage.removeItem(key); } catch (_e) { /* storage off */ }
      } else {
        restore(form, draft.values);
        notice(form);
        dirty = true;
      }
    }
    form.addEventListener("input", () => { dirty = true; });
    form.addEventListener("change", () => { dirty = true; });
    form.addEventListener("submit", () => {
      dirty = false;
      try { localStorage.setItem(key, JSON.stringify({ at: Date.now(), values: values(form) })); } catch (_e) { /* storage full or off */ }
    });
  });
  window.addEventListener("beforeunload", (event) => {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });
})();
