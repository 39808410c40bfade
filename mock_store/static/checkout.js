// Payment step behaviour: late-arriving balances, a "totals update" that greys options,
// options removed after load, custom role=radio controls, and options greyed by CSS alone.
(function () {
  "use strict";
  var list = document.getElementById("credit-options");
  var form = document.getElementById("payment-form");
  var hidden = document.getElementById("custom-payment");
  if (!list || !form) { return; }

  function number(value) {
    return value === "" || value === undefined ? null : Number(value);
  }

  function whenLoaded(fn) {
    if (document.readyState === "complete") { fn(); } else { window.addEventListener("load", fn); }
  }

  function customRadios() {
    return Array.prototype.slice.call(list.querySelectorAll("[role=radio]"));
  }

  function chooseCustom(radio) {
    if (radio.getAttribute("aria-disabled") === "true") { return; }
    customRadios().forEach(function (r) { r.setAttribute("aria-checked", r === radio ? "true" : "false"); });
    form.querySelectorAll("input[type=radio][name=payment]").forEach(function (input) { input.checked = false; });
    hidden.value = radio.getAttribute("data-value");
    hidden.disabled = false;
  }

  // Native radios and custom controls share one choice.
  form.addEventListener("change", function (event) {
    var target = event.target;
    if (target.type === "radio" && target.name === "payment") {
      customRadios().forEach(function (r) { r.setAttribute("aria-checked", "false"); });
      hidden.disabled = true;
    }
  });

  // Clicks on an option greyed only by CSS do nothing.
  form.addEventListener("click", function (event) {
    var row = event.target.closest ? event.target.closest(".pay-option--muted") : null;
    if (row) { event.preventDefault(); event.stopPropagation(); return; }
    var custom = event.target.closest ? event.target.closest(".pay-option") : null;
    var radio = custom ? custom.querySelector("[role=radio]") : null;
    if (radio) { chooseCustom(radio); }
  }, true);

  form.addEventListener("keydown", function (event) {
    if ((event.key === " " || event.key === "Enter") && event.target.getAttribute("role") === "radio") {
      event.preventDefault();
      chooseCustom(event.target);
    }
  });

  function greyOut(row) {
    var mode = row.getAttribute("data-late-disable");
    var input = row.querySelector("input[type=radio]");
    var radio = row.querySelector("[role=radio]");
    if (mode === "css") {
      row.classList.add("pay-option--muted");
    } else {
      row.classList.add("pay-option--disabled");
      if (input) { input.checked = false; input.disabled = true; }
      if (radio) {
        radio.setAttribute("aria-disabled", "true");
        radio.setAttribute("aria-checked", "false");
        radio.setAttribute("tabindex", "-1");
      }
    }
    if (input && mode === "css") { input.checked = false; }
    var reason = row.querySelector(".pay-reason");
    if (reason) { reason.hidden = false; }
  }

  // The store recomputes the totals on the server; its answer says which credit rows can no longer be used.
  function totalsUpdate() {
    if (!list.querySelector("[data-late-disable]")) { return; }
    var status = document.getElementById("totals-status");
    if (status) { status.hidden = false; }
    fetch("/api/checkout/totals", { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (answer) {
        (answer.greyed || []).forEach(function (id) {
          var row = document.getElementById(id);
          if (row) { greyOut(row); }
        });
      })
      .finally(function () { if (status) { status.hidden = true; } });
  }

  function removeScripted() {
    whenLoaded(function () {
      setTimeout(function () {
        list.querySelectorAll("[data-remove-after-load]").forEach(function (row) { row.remove(); });
      }, 300);
    });
  }

  function settle() {
    removeScripted();
    var disableAfter = number(list.getAttribute("data-disable-after-ms"));
    if (disableAfter !== null) { whenLoaded(totalsUpdate); }
  }

  var lateMs = number(list.getAttribute("data-late-ms")) || 0;
  var late = document.getElementById("credit-options-late");
  if (late) {
    setTimeout(function () {
      var loading = document.getElementById("credit-loading");
      if (loading) { loading.remove(); }
      list.appendChild(late.content.cloneNode(true));
      late.remove();
      settle();
    }, lateMs);
  } else {
    settle();
  }
})();
