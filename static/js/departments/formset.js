/*
 * Ordered lists edited as Django formsets (部门职责, 机构设置): add a row from the formset's
 * empty form, move rows up / down. The 序号 inputs follow the rows' order on the page; the
 * server renumbers 1, 2, 3 … on save.
 */
(() => {
  "use strict";

  // Controls are named by list, row and column ("部门职责第2条 · 职责"; "上移部门职责第2条"):
  // the names follow the rows when they move or are added.
  function renumber(table) {
    var n = 0;
    var list = table.dataset.listLabel || "";
    table.querySelectorAll("[data-formset-body] tr[data-formset-row]").forEach((tr) => {
      var order = tr.querySelector("input[data-order]");
      if (order) { n += 1; order.value = String(n); }
      var row = `${list}第${n}条`;
      tr.querySelectorAll("[data-col-label]").forEach((el) => {
        el.setAttribute("aria-label", `${row} · ${el.dataset.colLabel}`);
      });
      tr.querySelectorAll("[data-row-action]").forEach((el) => {
        el.setAttribute("aria-label", el.dataset.rowAction + row);
      });
    });
  }

  document.querySelectorAll("[data-add-row]").forEach((button) => {
    button.addEventListener("click", () => {
      var prefix = button.dataset.addRow;
      var table = document.querySelector(`[data-formset="${prefix}"]`);
      var template = document.querySelector(`[data-formset-template="${prefix}"]`);
      var totalForms = document.querySelector(`input[name="${prefix}-TOTAL_FORMS"]`);
      var index = parseInt(totalForms.value, 10);
      table.querySelector("[data-formset-body]").insertAdjacentHTML(
        "beforeend", template.innerHTML.replace(/__prefix__/g, String(index)));
      totalForms.value = String(index + 1);
      renumber(table);
    });
  });

  document.addEventListener("click", (event) => {
    var button = event.target.closest("[data-move]");
    if (!button) { return; }
    var row = button.closest("tr");
    var table = button.closest("[data-formset]");
    if (button.dataset.move === "up" && row.previousElementSibling) {
      row.parentNode.insertBefore(row, row.previousElementSibling);
    } else if (button.dataset.move === "down" && row.nextElementSibling) {
      row.parentNode.insertBefore(row.nextElementSibling, row);
    }
    renumber(table);
  });
})();
