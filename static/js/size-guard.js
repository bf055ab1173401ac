/*
 * Before a form is sent, estimate the size of what it would send; above the server's limits
 * (read from this script tag: data-body-limit, data-fields-limit) refuse to send and say so in
 * Chinese at the top of the form, so nothing typed is lost behind an error page.
 */
(() => {
  "use strict";

  var script = document.currentScript;
  var bodyLimit = Number(script?.dataset.bodyLimit || 0);
  var fieldsLimit = Number(script?.dataset.fieldsLimit || 0);
  if (!bodyLimit) { return; }
  var encoder = new TextEncoder();

  function sizes(form) {
    var multipart = (form.enctype || "").toLowerCase() === "multipart/form-data";
    var fields = 0;
    var files = 0;
    for (const [name, value] of new FormData(form)) {
      if (typeof value === "string") {
        // urlencoded: the body Django counts is the percent-encoded text
        fields += multipart
          ? encoder.encode(name).length + encoder.encode(value).length + 100
          : encodeURIComponent(name).length + encodeURIComponent(value).length + 2;
      } else {
        files += value.size + encoder.encode(value.name).length + 200;
      }
    }
    return { fields: fields, total: fields + files };
  }

  function mb(bytes) { return (bytes / 1048576).toFixed(1); }

  function refuse(form, size) {
    var box = form.querySelector("[data-size-guard]");
    if (!box) {
      box = document.createElement("div");
      box.className = "alert alert-danger";
      box.setAttribute("role", "alert");
      box.setAttribute("data-size-guard", "");
      box.setAttribute("data-testid", "size-guard");
      form.prepend(box);
    }
    box.textContent =
      `本次提交约 ${mb(size)} MB，超过系统一次可接收的 ${mb(bodyLimit)} MB（其中文字不超过 ${mb(fieldsLimit)} MB），未发送。` +
      "您填写的内容仍保留在页面上；请把过长的文字删减或分几次保存，或上传不超过 5 MB 的 Excel 文件。";
    box.scrollIntoView({ block: "center" });
  }

  document.addEventListener(
    "submit",
    (event) => {
      var form = event.target;
      if (!(form instanceof HTMLFormElement) || (form.method || "").toLowerCase() !== "post") { return; }
      var size = sizes(form);
      if (size.total > bodyLimit || (fieldsLimit && size.fields > fieldsLimit)) {
        event.preventDefault();
        event.stopImmediatePropagation();
        refuse(form, size.total);
      }
    },
    true
  );
})();
