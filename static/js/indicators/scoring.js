/* Scoring page: proposes the score of a quantitative indicator as the actual value is typed
 * (mirroring indicators/scoring.py score_quantitative — the server recomputes and is
 * authoritative), shows the band range of qualitative ones, and saves each row as it changes
 * (fetch with the row form's CSRF token). Without JavaScript each row's 保存 button posts the form. */
(() => {
  "use strict";
  var rulesEl = document.getElementById("scoring-rules");
  if (!rulesEl) return;
  var rules = JSON.parse(rulesEl.textContent);

  function round2(x) {
    // half up to cents, as the engine's ROUND_HALF_UP
    return Math.round((x + (x >= 0 ? 1e-9 : -1e-9)) * 100) / 100;
  }
  function clamp(x, weight) { return round2(Math.min(Math.max(x, 0), weight)); }

  function parseNumber(text) {
    var m = /(\d+(?:\.\d+)?)/.exec(String(text || "").replace(/[０-９．]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)));
    return m ? parseFloat(m[1]) : null;
  }

  function scoreQuantitative(comparator, target, actual, weight) {
    if (actual < 0 || target < 0) return null;
    var over = rules.overachievement_percent ? parseFloat(rules.overachievement_percent) : 130;
    if (comparator === "ge" || comparator === "gt") {
      const met = comparator === "ge" ? actual >= target : actual > target;
      if (met) {
        const isOver = target > 0 && actual * 100 / target >= over;
        const deduction = rules.overachievement_deduction === null || rules.overachievement_deduction === undefined
          ? null : parseFloat(rules.overachievement_deduction);
        if (isOver && deduction !== null) {
          // 指标偏离: the rule set deducts points (never below 0), as the engine does.
          const taken = round2(Math.min(deduction, weight));
          return { score: round2(weight - taken), met: true, over: true, deduction: taken };
        }
        return { score: round2(weight), met: true, over: isOver };
      }
      if (target === 0) return { score: 0, met: false, over: false };
      return { score: clamp(actual / target * weight, weight), met: false, over: false };
    }
    if (comparator === "le" || comparator === "lt") {
      const ok = comparator === "le" ? actual <= target : actual < target;
      if (ok) return { score: round2(weight), met: true, over: false };
      if (target === 0) return { score: 0, met: false, over: false };
      if (rules.reverse_formula === "linear") return { score: clamp(weight * (2 - actual / target), weight), met: false, over: false };
      return { score: clamp(target / actual * weight, weight), met: false, over: false };
    }
    if (actual === target) return { score: round2(weight), met: true, over: false };
    if (target === 0) return { score: 0, met: false, over: false };
    return { score: clamp(weight * (1 - Math.abs(actual - target) / target), weight), met: false, over: false };
  }

  function field(row, name) { return row.querySelector(`[name$='-${name}']`); }

  function propose(row) {
    if (row.dataset.kind !== "quantitative" || row.dataset.weight === "") return;
    var actual = parseNumber(field(row, "actual").value);
    var proposedEl = row.querySelector(".proposed");
    var flag = row.querySelector(".over-flag");
    var scoreInput = field(row, "score");
    if (actual === null) { proposedEl.textContent = ""; return; }
    var r = scoreQuantitative(row.dataset.comparator, parseFloat(row.dataset.target), actual, parseFloat(row.dataset.weight));
    if (!r) return;
    var text = r.score.toFixed(2);
    var previous = proposedEl.textContent;
    proposedEl.textContent = text;
    flag.textContent = r.over ? "超额完成，指标值可能偏低" : "";
    const note = row.querySelector(".deduction-note");
    if (note) {
      note.textContent = r.deduction
        ? `指标偏离：实际完成值达到指标值的 ${String(parseFloat(rules.overachievement_percent))}% 以上，按评分规则扣 ${String(r.deduction)} 分。`
        : "";
    }
    // Follow the proposal unless the member has deliberately set another score.
    if (!scoreInput.value || scoreInput.value === previous || scoreInput.dataset.auto === "1") {
      scoreInput.value = text;
      scoreInput.dataset.auto = "1";
    }
  }

  function bandRange(row) {
    var band = field(row, "band");
    var hint = row.querySelector(".band-range");
    if (!band || !hint) return;
    var range = rules.bands[band.value];
    var weight = parseFloat(row.dataset.weight);
    if (!range || Number.isNaN(weight)) { hint.textContent = ""; return; }
    var lo = round2(weight * parseFloat(range[0]) / 100), hi = round2(weight * parseFloat(range[1]) / 100);
    // Half-open as the rule writes them: only the top band (ending at 100 %) includes its upper bound.
    hint.textContent = parseFloat(range[1]) >= 100
      ? `可评 ${lo.toFixed(2)} 至 ${hi.toFixed(2)} 分`
      : `可评 ${lo.toFixed(2)} 分（含）至 ${hi.toFixed(2)} 分（不含）`;
  }

  function show(id, value, fallback) {
    var el = document.getElementById(id);
    if (el) el.textContent = value === null || value === undefined || value === "" ? fallback : value;
  }

  // ---- rows not yet saved: marked, counted in the totals bar, kept in a local draft
  var dirty = {};
  var DRAFT = `perfeval-score:${location.pathname}:`;
  function updateUnsaved() {
    var n = Object.keys(dirty).length;
    var el = document.querySelector("[data-testid='unsaved-count']");
    if (el) { el.hidden = n === 0; el.textContent = n ? `${n} 行未保存` : ""; }
  }
  function rowValues(row) {
    var values = {};
    row.querySelectorAll("[data-field]").forEach((el) => { values[el.dataset.field] = el.value; });
    return values;
  }
  function keepDraft(row) {
    dirty[row.id] = true;
    updateUnsaved();
    try { localStorage.setItem(DRAFT + row.id, JSON.stringify(rowValues(row))); } catch (_e) { /* storage full or off */ }
  }
  function dropDraft(row) {
    delete dirty[row.id];
    updateUnsaved();
    try { localStorage.removeItem(DRAFT + row.id); } catch (_e) { /* storage off */ }
  }
  function restoreDraft(row) {
    var text = null;
    try { text = localStorage.getItem(DRAFT + row.id); } catch (_e) { return; }
    if (!text) return;
    var values = JSON.parse(text);
    row.querySelectorAll("[data-field]").forEach((el) => {
      if (Object.hasOwn(values, el.dataset.field)) el.value = values[el.dataset.field];
    });
    dirty[row.id] = true;
    var status = row.querySelector(".row-status");
    status.textContent = "未保存（已从本机草稿恢复）";
    status.className = "row-status small pending";
  }
  // A row is complete when what its kind needs is filled: 得分 always, 评价档次 for qualitative ones.
  function complete(row) {
    var score = field(row, "score"), band = field(row, "band"), actual = field(row, "actual");
    if (!score?.value.trim() || !actual?.value.trim()) return false;
    return band?.value !== "";
  }
  function showErrors(row, errors) {
    var general = [];
    row.querySelectorAll("[data-field]").forEach((el) => {
      var texts = errors[el.dataset.field] || [];
      var div = document.getElementById(`${el.id}-error`);
      el.classList.toggle("is-invalid", texts.length > 0);
      if (texts.length) el.setAttribute("aria-invalid", "true"); else el.removeAttribute("aria-invalid");
      if (div) div.textContent = texts.join(" ");
    });
    Object.keys(errors).forEach((k) => {
      if (!row.querySelector(`[data-field='${k}']`)) general = general.concat(errors[k]);
    });
    return general;
  }

  var queues = {};
  function save(row) {
    var form = document.getElementById(`f-${row.id.replace("row-", "")}`);
    if (!form?.querySelector("button")) return Promise.resolve();
    var status = row.querySelector(".row-status");
    var key = row.id;
    queues[key] = (queues[key] || Promise.resolve()).then(() => {
      status.textContent = "保存中…";
      status.className = "row-status small pending";
      var data = new FormData(form);
      var sent = JSON.stringify(rowValues(row));
      return fetch(form.action, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "Accept": "application/json", "X-CSRFToken": data.get("csrfmiddlewaretoken") }
      }).then((resp) => {
        if (resp.redirected || !(resp.headers.get("Content-Type") || "").includes("json")) {
          return { ok: false, body: { errors: { __all__: ["登录已过期，内容未保存，已为您保留。请重新登录后再保存。"] } } };
        }
        return resp.json().then((body) => ({ ok: resp.ok, body: body }));
      }).then((res) => {
        if (res.ok && res.body.ok) {
          showErrors(row, {});
          if (JSON.stringify(rowValues(row)) === sent) dropDraft(row);
          status.textContent = `已保存 ${res.body.score} 分`;
          status.className = "row-status small saved";
          if (res.body.proposed !== null) row.querySelector(".proposed").textContent = res.body.proposed;
          const savedNote = row.querySelector(".deduction-note");
          if (savedNote) savedNote.textContent = res.body.deduction_note || "";
          const mine = res.body.mine, group = res.body.group;
          show("my-total", mine.total, "—");
          show("my-grade", mine.grade, "（评完全部指标后给出）");
          show("my-scored", String(mine.scored), "0");
          show("my-unscored", String(mine.unscored), "0");
          show("exec-score", mine.execution_score, "—");
          show("exec-rate", mine.execution_rate, "—");
          show("group-total", group.total, "—");
          show("group-grade", group.grade, "");
        } else {
          // Refused: the typed values stay in the inputs (and in the local draft), each message at its field.
          const general = showErrors(row, res.body.errors || {});
          status.textContent = general.length ? general.join(" ") : "未保存，请按红色提示修改";
          status.className = "row-status small error";
        }
      }).catch(() => {
        status.textContent = "网络错误，未保存，请重试";
        status.className = "row-status small error";
      });
    });
    return queues[key];
  }

  function pending(row) {
    var status = row.querySelector(".row-status");
    status.textContent = "未完成";
    status.className = "row-status small pending";
  }

  document.querySelectorAll("tr[data-testid='score-row']").forEach((row) => {
    var form = document.getElementById(`f-${row.id.replace("row-", "")}`);
    if (!form?.querySelector("button")) return;
    restoreDraft(row);
    var actual = field(row, "actual");
    var score = field(row, "score");
    if (actual) actual.addEventListener("input", () => { propose(row); });
    if (score) score.addEventListener("input", () => { score.dataset.auto = "0"; });
    var band = field(row, "band");
    if (band) { band.addEventListener("change", () => { bandRange(row); }); bandRange(row); }
    row.querySelectorAll("[data-field]").forEach((el) => {
      el.addEventListener("input", () => { keepDraft(row); });
      el.addEventListener("change", () => {
        keepDraft(row);
        if (complete(row)) save(row); else pending(row);
      });
    });
    // Leaving the row saves what it holds, complete or not, so its messages show.
    row.addEventListener("focusout", (event) => {
      if (event.relatedTarget && row.contains(event.relatedTarget)) return;
      if (dirty[row.id] && !complete(row)) save(row);
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      save(row);
    });
  });
  updateUnsaved();
  window.addEventListener("beforeunload", (event) => {
    if (Object.keys(dirty).length) { event.preventDefault(); event.returnValue = ""; }
  });
})();
