/*
 * 收支与项目: derived figures and the 数据校验 panel, recomputed as the user types.
 *
 * Mirrors budgets/figures.py and budgets/checks.py exactly: amounts are exact integers of
 * cents (BigInt, never floats), sums of what is stated (blank is "not stated", not 0), and
 * percentages rounded half-up to two decimals. The server recomputes everything on save; the
 * page after saving shows the server's figures.
 */
(() => {
  "use strict";

  var form = document.querySelector("[data-figures-form]");
  if (!form) { return; }

  var COLUMNS = [
    ["initial_budget", "年初预算数"],
    ["full_year_budget", "全年预算数"],
    ["actual", "全年执行数"],
    ["previous_year", "上年数"]
  ];
  var COLS = COLUMNS.map((c) => c[0]);
  var INCOME_PARTS = ["appropriation", "non_tax", "carryover", "other"];
  var SPENDING_KINDS = ["basic", "personnel", "public", "project", "total"];
  var FULLWIDTH = "０１２３４５６７８９．－";

  // ---- money: BigInt cents, null = not stated, undefined = not a valid amount
  function parseCents(text) {
    var s = "";
    for (let i = 0; i < text.length; i++) {
      const k = FULLWIDTH.indexOf(text[i]);
      s += k >= 0 ? "0123456789.-"[k] : text[i];
    }
    s = s.replace(/[,，\s]/g, "");
    if (s === "") { return null; }
    if (s.slice(-2) === "万元") { s = s.slice(0, -2); }  // "万元" alone is refused, as on the server
    // The server's rule (budgets.forms.parse_money): ASCII digits, a point only between digits.
    var m = /^([0-9]+)(?:\.([0-9]+))?$/.exec(s);
    if (!m) { return undefined; }
    var frac = (m[2] || "").replace(/0+$/, "");
    if (frac.length > 2) { return undefined; }
    var cents = BigInt(m[1]) * 100n + BigInt(`${frac}00`.slice(0, 2));
    if (cents >= 1000000000n) { return undefined; }  // ≥ 10 000 000 万元, as parse_money refuses
    return cents;
  }
  function abs(n) { return n < 0n ? -n : n; }
  function fmt(cents) {
    if (cents === null || cents === undefined) { return "—"; }
    var a = abs(cents);
    var frac = String(a % 100n);
    return `${cents < 0n ? "-" : ""}${a / 100n}.${frac.length < 2 ? `0${frac}` : frac}`;
  }
  function fmtPct(h) { return h === null ? "—" : `${fmt(h)}%`; }
  function sum(values) {
    var stated = values.filter((v) => v !== null);
    if (!stated.length) { return null; }
    return stated.reduce((a, b) => a + b, 0n);
  }
  // numerator ÷ denominator in %, as hundredths of a percent, half up (away from zero)
  function percent(num, den) {
    if (num === null || den === null || den === 0n) { return null; }
    var q = (2n * abs(num) * 10000n + abs(den)) / (2n * abs(den));
    return (num < 0n) !== (den < 0n) ? -q : q;
  }
  function difference(a, b) { return a === null || b === null ? null : a - b; }
  function change(current, previous) {
    if (current === null || previous === null) { return null; }
    var amount = current - previous;
    return { amount: amount, percent: percent(amount, previous) };
  }

  // ---- Amounts: {initial_budget, full_year_budget, actual, previous_year}
  function empty() { return { initial_budget: null, full_year_budget: null, actual: null, previous_year: null }; }
  function total(rows) {
    var out = empty();
    COLS.forEach((c) => { out[c] = sum(rows.map((r) => r[c])); });
    return out;
  }
  function prefer(stated, fallback) {
    var out = empty();
    COLS.forEach((c) => { out[c] = stated[c] !== null ? stated[c] : fallback[c]; });
    return out;
  }
  function current(a) { return a.actual !== null ? a.actual : a.full_year_budget; }
  function rate(a) { return percent(a.actual, a.full_year_budget); }
  function isEmpty(a) { return COLS.every((c) => a[c] === null); }
  function totalIsKnown(stated, parts, col) {
    if (stated[col] !== null) { return true; }
    parts = parts.filter((p) => !isEmpty(p));
    return parts.length > 0 && parts.every((p) => p[col] !== null);
  }

  function readInput(input) {
    var value = parseCents(input.value);
    var grid = window.perfevalGrid;
    if (grid) {
      const cleaned = grid.cleanMoney(input.value);
      grid.markCell(input, value === undefined ? (cleaned.error || "不是有效的金额（万元）。") : "");
    } else {
      input.classList.toggle("is-invalid", value === undefined);
    }
    return value === undefined ? null : value;
  }
  function fieldName(input) { return input.name.slice(input.name.lastIndexOf("-") + 1); }
  function setOut(scope, key, text) {
    var el = scope.querySelector(`[data-out="${key}"]`);
    if (el) { el.textContent = text; }
  }
  function showAmounts(key, a) {
    COLS.forEach((c) => { setOut(form, `${key}.${c}`, fmt(a[c])); });
    setOut(form, `${key}.rate`, fmtPct(rate(a)));
    var ch = change(current(a), a.previous_year);
    setOut(form, `${key}.change`, ch ? fmt(ch.amount) : "—");
    setOut(form, `${key}.pct`, ch ? fmtPct(ch.percent) : "—");
  }

  function readLines(group) {
    var lines = {}, labels = {};
    form.querySelectorAll(`tr[data-line-group="${group}"]`).forEach((tr) => {
      var a = empty();
      tr.querySelectorAll("input[data-money]").forEach((input) => { a[fieldName(input)] = readInput(input); });
      lines[tr.dataset.line] = a;
      labels[tr.dataset.line] = tr.dataset.label;
      setOut(tr, "rate", fmtPct(rate(a)));
      var ch = change(current(a), a.previous_year);
      setOut(tr, "change", ch ? fmt(ch.amount) : "—");
      setOut(tr, "pct", ch ? fmtPct(ch.percent) : "—");
    });
    return { lines: lines, labels: labels };
  }

  function readProjects() {
    var projects = [];
    form.querySelectorAll("tr[data-project-row]").forEach((tr) => {
      var del = tr.querySelector('input[name$="-DELETE"]');
      tr.classList.toggle("row-deleted", !!del?.checked);
      var p = { name: "", initial_budget: null, full_year_budget: null, actual: null };
      tr.querySelectorAll("input[data-money]").forEach((input) => { p[fieldName(input)] = readInput(input); });
      var nameInput = tr.querySelector('[name$="-name"]');
      p.name = nameInput ? nameInput.value.trim() : "";
      setOut(tr, "rate", fmtPct(percent(p.actual, p.full_year_budget)));
      if (del?.checked) { return; }
      if (!p.name && p.initial_budget === null && p.full_year_budget === null && p.actual === null) { return; }
      projects.push(p);
    });
    return projects;
  }

  function readThreePublic() {
    var rows = [];
    form.querySelectorAll("tr[data-tp-row]").forEach((tr) => {
      var t = { label: tr.dataset.label, budget: null, actual: null, previous_year: null };
      tr.querySelectorAll("input[data-money]").forEach((input) => { t[fieldName(input)] = readInput(input); });
      var ch = change(t.actual, t.previous_year);
      setOut(tr, "change", ch ? fmt(ch.amount) : "—");
      setOut(tr, "pct", ch ? fmtPct(ch.percent) : "—");
      rows.push(t);
    });
    return rows;
  }

  function get(lines, key) { return lines[key] || empty(); }

  // ---- the checks, message for message as budgets/checks.py
  function sumVsTotal(parts, stated, totalLabel, partsLabel, out) {
    COLUMNS.forEach((col) => {
      var gap = difference(parts[col[0]], stated[col[0]]);
      if (gap !== null && gap !== 0n) {
        out.push(`${totalLabel}（${col[1]}）为 ${fmt(stated[col[0]])} 万元，${partsLabel}为 ` +
          `${fmt(parts[col[0]])} 万元，相差 ${fmt(abs(gap))} 万元。`);
      }
    });
  }

  function checks(f) {
    var out = [];
    sumVsTotal(f.spendingParts, get(f.spending, "total"), "支出合计", "基本支出 + 项目支出", out);
    sumVsTotal(f.basicParts, get(f.spending, "basic"), "基本支出", "人员经费 + 公用经费", out);
    sumVsTotal(f.incomeParts, get(f.income, "total"), "收入合计", "各项收入之和", out);
    var general = get(f.income, "general_public"), appropriation = get(f.income, "appropriation");
    COLUMNS.forEach((col) => {
      var part = general[col[0]], parent = appropriation[col[0]], parentLabel = "财政拨款";
      if (parent === null) { parent = f.incomeTotal[col[0]]; parentLabel = "收入合计"; }
      if (part !== null && parent !== null && part > parent) {
        out.push(`其中：一般公共预算财政拨款（${col[1]}）为 ${fmt(part)} 万元，大于${parentLabel} ` +
          `${fmt(parent)} 万元，相差 ${fmt(part - parent)} 万元。`);
      }
    });
    var project = get(f.spending, "project"), compared = {};
    COLUMNS.slice(0, 3).forEach((col) => {
      var lines = f.projectTotals[col[0]], stated = project[col[0]];
      var gap = difference(lines, stated);
      if (gap !== null) { compared[`${lines}|${stated}`] = true; }
      if (gap !== null && gap !== 0n) {
        out.push(`项目明细${col[1]}合计为 ${fmt(lines)} 万元，项目支出${col[1]}为 ${fmt(stated)} 万元，` +
          `相差 ${fmt(abs(gap))} 万元。`);
      }
    });
    var amountSum = f.projectAmountSum, cur = current(project), gap = difference(amountSum, cur);
    if (gap !== null && gap !== 0n && !compared[`${amountSum}|${cur}`]) {
      const column = project.actual !== null ? "全年执行数" : "全年预算数";
      out.push(`项目明细金额合计为 ${fmt(amountSum)} 万元，项目支出（${column}）为 ${fmt(cur)} 万元，` +
        `相差 ${fmt(abs(gap))} 万元。`);
    }
    var incomeParts = INCOME_PARTS.map((k) => get(f.income, k));
    var spendingParts = [get(f.spending, "basic"), get(f.spending, "project")];
    COLUMNS.forEach((col) => {
      if (!(totalIsKnown(get(f.income, "total"), incomeParts, col[0]) &&
            totalIsKnown(get(f.spending, "total"), spendingParts, col[0]))) { return; }
      var i = f.incomeTotal[col[0]], s = f.spendingTotal[col[0]], gap = difference(i, s);
      if (gap !== null && gap !== 0n) {
        out.push(`收入合计（${col[1]}）${fmt(i)} 万元与支出合计 ${fmt(s)} 万元不一致，相差 ${fmt(abs(gap))} 万元。`);
      }
    });
    var over = SPENDING_KINDS.map((k) => [f.spendingLabels[k], get(f.spending, k)]);
    f.projects.forEach((p) => { over.push([`项目“${p.name}”`, p]); });
    over.forEach((item) => {
      var a = item[1];
      if (a.actual !== null && a.full_year_budget !== null && a.actual > a.full_year_budget) {
        out.push(`${item[0]}全年执行数 ${fmt(a.actual)} 万元超过全年预算数 ${fmt(a.full_year_budget)} 万元` +
          `（执行率 ${fmt(percent(a.actual, a.full_year_budget))}%）。`);
      }
    });
    f.threePublic.forEach((t) => {
      if (t.actual !== null && t.budget !== null && t.actual > t.budget) {
        out.push(`三公经费“${t.label}”实际支出数 ${fmt(t.actual)} 万元超过预算数 ${fmt(t.budget)} 万元。`);
      }
    });
    return out;
  }

  function showChecks(messages) {
    var list = document.querySelector('[data-live-checks="1"]');
    if (!list) { return; }
    list.replaceChildren.apply(list, messages.map((m) => {
      var li = document.createElement("li");
      li.className = "list-group-item check-warning";
      li.textContent = m;
      return li;
    }));
    var others = list.parentElement.querySelectorAll("li.check-warning").length;
    var ok = list.parentElement.querySelector("[data-checks-ok]");
    if (ok) { ok.hidden = others > 0; }
  }

  function recompute() {
    var income = readLines("income"), spending = readLines("spending");
    var f = { income: income.lines, spending: spending.lines, spendingLabels: spending.labels };
    f.incomeParts = total(INCOME_PARTS.map((k) => get(f.income, k)));
    f.incomeTotal = prefer(get(f.income, "total"), f.incomeParts);
    f.spendingParts = total([get(f.spending, "basic"), get(f.spending, "project")]);
    f.basicParts = total([get(f.spending, "personnel"), get(f.spending, "public")]);
    f.spendingTotal = prefer(get(f.spending, "total"), f.spendingParts);
    f.projects = readProjects();
    f.projectTotals = {
      initial_budget: sum(f.projects.map((p) => p.initial_budget)),
      full_year_budget: sum(f.projects.map((p) => p.full_year_budget)),
      actual: sum(f.projects.map((p) => p.actual))
    };
    f.projectAmountSum = sum(f.projects.map((p) => p.actual !== null ? p.actual : (p.full_year_budget !== null ? p.full_year_budget : p.initial_budget)));
    f.threePublic = readThreePublic();

    showAmounts("income.parts", f.incomeParts);
    showAmounts("income.total", f.incomeTotal);
    showAmounts("spending.parts", f.spendingParts);
    showAmounts("spending.basic_parts", f.basicParts);
    showAmounts("spending.total", f.spendingTotal);
    setOut(form, "overall.rate", fmtPct(rate(f.spendingTotal)));
    ["initial_budget", "full_year_budget", "actual"].forEach((c) => {
      setOut(form, `projects.total.${c}`, fmt(f.projectTotals[c]));
    });
    setOut(form, "projects.total.rate", fmtPct(percent(f.projectTotals.actual, f.projectTotals.full_year_budget)));
    setOut(form, "projects.amount_sum", fmt(f.projectAmountSum));
    var tp = {};
    ["budget", "actual", "previous_year"].forEach((c) => {
      tp[c] = sum(f.threePublic.map((t) => t[c]));
      setOut(form, `tp.total.${c}`, fmt(tp[c]));
    });
    var tpChange = change(tp.actual, tp.previous_year);
    setOut(form, "tp.total.change", tpChange ? fmt(tpChange.amount) : "—");
    setOut(form, "tp.total.pct", tpChange ? fmtPct(tpChange.percent) : "—");
    showChecks(checks(f));
  }

  // ---- project rows: add (from the <template>), renumber
  var addButton = form.querySelector("[data-add-project]");
  if (addButton) {
    addButton.addEventListener("click", () => {
      var totalForms = form.querySelector('input[name="projects-TOTAL_FORMS"]');
      var index = parseInt(totalForms.value, 10);
      var html = document.getElementById("project-empty-row").innerHTML.replace(/__prefix__/g, String(index));
      var body = form.querySelector("[data-project-rows]");
      body.insertAdjacentHTML("beforeend", html);
      totalForms.value = String(index + 1);
      var orders = Array.prototype.map.call(body.querySelectorAll("input[data-order]"), (i) => parseInt(i.value, 10) || 0);
      var row = body.lastElementChild;
      row.querySelector("input[data-order]").value = String(Math.max.apply(null, [0].concat(orders)) + 1);
      row.querySelector('[name$="-name"]').focus();
    });
  }

  form.addEventListener("input", recompute);
  form.addEventListener("change", recompute);
  recompute();
})();
