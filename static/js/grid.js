/*
 * Spreadsheet-like entry on any table marked `data-grid` (收支与项目, 绩效指标, 评分).
 *
 * - Enter / Shift+Enter move down / up in the same column (never submit the whole form from a
 *   cell); arrow keys move between cells (←/→ only when the caret is at the edge of the text).
 * - Pasting a block copied from Excel or WPS (tab and newline separated) fills the cells it
 *   covers, starting at the focused cell. Money cells (`data-money`) are cleaned as the server
 *   does (budgets/forms.py parse_money: "1,304.57", full-width digits, a "万元" suffix); a refused
 *   cell is marked with its Chinese message. Nothing is saved until the user saves.
 * Each changed cell gets an `input` event so the page's own scripts (totals, autosave) follow.
 */
(() => {
  "use strict";

  var FULLWIDTH = "０１２３４５６７８９．－，";
  var HALFWIDTH = "0123456789.-,";

  // The text of a money cell as the server would store it, or {error} when it refuses it.
  function cleanMoney(raw) {
    var s = "";
    for (let i = 0; i < raw.length; i++) {
      const k = FULLWIDTH.indexOf(raw[i]);
      s += k >= 0 ? HALFWIDTH[k] : raw[i];
    }
    s = s.replace(/[,，\s\u00a0]/g, "");
    if (s.slice(-2) === "万元") { s = s.slice(0, -2); }
    if (s === "") { return { value: "" }; }
    if (/^-\d/.test(s)) { return { error: "金额不能为负数。" }; }
    var m = /^(\d+)(?:\.(\d*))?$/.exec(s);
    if (!m) { return { error: `“${raw.trim()}”不是数字，请填写以万元为单位的金额，例如 1304.57。` }; }
    var frac = (m[2] || "").replace(/0+$/, "");
    if (frac.length > 2) { return { error: "金额最多保留两位小数（单位：万元）。" }; }
    var whole = m[1].replace(/^0+(?=\d)/, "");
    if (whole.length > 8 || (whole.length === 8 && whole >= "10000000")) {
      return { error: "金额超过 1000 亿元（10000000 万元），请确认单位是万元而不是元。" };
    }
    return { value: `${whole}.${`${frac}00`.slice(0, 2)}` };
  }

  function cellsOf(tr) {
    return Array.prototype.filter.call(
      tr.querySelectorAll("input, textarea, select"),
      (el) => el.type !== "hidden" && el.type !== "checkbox" && el.type !== "submit" && !el.disabled
        && !el.closest("[data-grid-skip]")
    );
  }
  function rowsOf(table) {
    return Array.prototype.filter.call(table.querySelectorAll("tbody tr"), (tr) => cellsOf(tr).length > 0);
  }
  function position(table, el) {
    var rows = rowsOf(table);
    for (let r = 0; r < rows.length; r++) {
      const c = cellsOf(rows[r]).indexOf(el);
      if (c >= 0) { return { rows: rows, r: r, c: c }; }
    }
    return null;
  }
  function focusCell(el) {
    if (!el) { return false; }
    el.focus();
    if (el.select && el.tagName === "INPUT") { el.select(); }
    return true;
  }
  function cellAt(rows, r, c) {
    if (r < 0 || r >= rows.length) { return null; }
    var cells = cellsOf(rows[r]);
    return cells.length ? cells[Math.min(c, cells.length - 1)] : null;
  }

  function feedbackFor(el) {
    var id = `${el.id || el.name}-grid-error`;
    var div = document.getElementById(id);
    if (!div) {
      div = document.createElement("div");
      div.id = id;
      div.className = "invalid-feedback d-block grid-error";
      el.insertAdjacentElement("afterend", div);
    }
    return div;
  }
  function markCell(el, message) {
    if (message) {
      el.classList.add("is-invalid");
      el.setAttribute("aria-invalid", "true");
      const div = feedbackFor(el);
      div.textContent = message;
      const ids = (el.getAttribute("aria-describedby") || "").split(" ").filter((x) => x && x !== div.id);
      el.setAttribute("aria-describedby", ids.concat([div.id]).join(" "));
    } else {
      const div = document.getElementById(`${el.id || el.name}-grid-error`);
      if (div) { div.remove(); }
      if (el.classList.contains("is-invalid") && !el.parentElement.querySelector(".invalid-feedback")) {
        el.classList.remove("is-invalid");
        el.removeAttribute("aria-invalid");
      }
    }
  }

  function setCell(el, raw) {
    var text = raw.replace(/\r/g, "");
    if (el.tagName === "SELECT") {
      const wanted = text.trim();
      const option = Array.prototype.find.call(el.options, (o) => o.value === wanted || o.text.trim() === wanted);
      if (option) { el.value = option.value; markCell(el, ""); } else if (wanted) { markCell(el, `“${wanted}”不是可选的选项。`); }
    } else if (el.hasAttribute("data-money")) {
      const cleaned = cleanMoney(text);
      el.value = cleaned.error ? text.trim() : cleaned.value;
      markCell(el, cleaned.error || "");
    } else {
      el.value = el.tagName === "TEXTAREA" ? text : text.trim();
    }
    el.dispatchEvent(new Event("input", { bubbles: true }));
    el.dispatchEvent(new Event("change", { bubbles: true }));
  }

  // Excel/WPS put a quoted cell around text holding tabs or newlines; read those back whole.
  function parseBlock(text) {
    var rows = [], row = [], cell = "", i = 0, quoted = false;
    text = text.replace(/\r\n?/g, "\n");
    if (text.endsWith("\n")) { text = text.slice(0, -1); }
    while (i < text.length) {
      const ch = text[i];
      if (quoted) {
        if (ch === '"' && text[i + 1] === '"') { cell += '"'; i += 2; continue; }
        if (ch === '"') { quoted = false; i++; continue; }
        cell += ch; i++; continue;
      }
      if (ch === '"' && cell === "") { quoted = true; i++; continue; }
      if (ch === "\t") { row.push(cell); cell = ""; i++; continue; }
      if (ch === "\n") { row.push(cell); rows.push(row); row = []; cell = ""; i++; continue; }
      cell += ch; i++;
    }
    row.push(cell);
    rows.push(row);
    return rows;
  }

  function onPaste(event) {
    var el = event.target;
    var table = el.closest("table[data-grid]");
    if (!table) { return; }
    var text = (event.clipboardData || window.clipboardData).getData("text/plain");
    if (!text) { return; }
    var single = !/[\t\n]/.test(text.replace(/\r?\n$/, ""));
    if (single && !el.hasAttribute("data-money")) { return; }  // the browser pastes plain text
    event.preventDefault();
    var pos = position(table, el);
    if (!pos) { return; }
    var block = single ? [[text.replace(/\r?\n$/, "")]] : parseBlock(text);
    block.forEach((values, dr) => {
      if (pos.r + dr >= pos.rows.length) { return; }
      const cells = cellsOf(pos.rows[pos.r + dr]);
      values.forEach((value, dc) => {
        const target = cells[pos.c + dc];
        if (target && !target.readOnly) { setCell(target, value); }
      });
    });
    table.dispatchEvent(new CustomEvent("grid:pasted", { bubbles: true, detail: { rows: block.length } }));
  }

  function atEdge(el, forward) {
    if (el.tagName === "SELECT") { return true; }
    if (typeof el.selectionStart !== "number") { return true; }
    if (el.selectionStart !== el.selectionEnd) { return el.selectionStart === 0 && el.selectionEnd === el.value.length; }
    return forward ? el.selectionEnd === el.value.length : el.selectionStart === 0;
  }

  function onKeydown(event) {
    var el = event.target;
    var table = el.closest?.("table[data-grid]");
    if (!table || event.altKey || event.ctrlKey || event.metaKey || event.isComposing) { return; }
    if (!el.matches("input, textarea, select")) { return; }
    var key = event.key, isTextarea = el.tagName === "TEXTAREA";
    if (key === "Enter" && isTextarea && !event.shiftKey) { return; }  // new line in a text box
    var pos = position(table, el);
    if (!pos) { return; }
    var target = null;
    if (key === "Enter") {
      event.preventDefault();
      target = cellAt(pos.rows, pos.r + (event.shiftKey ? -1 : 1), pos.c);
      if (!target && !event.shiftKey) { el.dispatchEvent(new Event("change", { bubbles: true })); }
    } else if ((key === "ArrowDown" || key === "ArrowUp") && !isTextarea && el.tagName !== "SELECT") {
      target = cellAt(pos.rows, pos.r + (key === "ArrowDown" ? 1 : -1), pos.c);
    } else if ((key === "ArrowRight" || key === "ArrowLeft") && !isTextarea && el.tagName !== "SELECT") {
      const forward = key === "ArrowRight";
      if (!atEdge(el, forward)) { return; }
      target = cellsOf(pos.rows[pos.r])[pos.c + (forward ? 1 : -1)] || null;
    }
    if (target) {
      event.preventDefault();
      focusCell(target);
    }
  }

  document.addEventListener("keydown", onKeydown);
  document.addEventListener("paste", onPaste);
  window.perfevalGrid = { cleanMoney: cleanMoney, parseBlock: parseBlock, markCell: markCell };
})();
