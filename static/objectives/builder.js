// The objective builder: pick a phrase from the bank to add it to the form. The form's own
// htmx trigger then refreshes the live "To … through … in order to … by …" preview.
(function () {
  function tidy(what) {
    // "Two pieces of theory" reads "researching two pieces of theory"; names stay capitalised.
    if (!what || /^(Thinking|X )/.test(what)) return what;
    return what.charAt(0).toLowerCase() + what.slice(1);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-add-to]");
    if (!button) return;
    var target = document.getElementById(button.dataset.addTo);
    if (!target) return;
    var text = button.dataset.phrase || "";
    if (button.dataset.compose) {
      var how = document.getElementById("bank-how").value;
      var what = tidy(document.getElementById("bank-what").value);
      text = [how, what].filter(Boolean).join(" ");
    }
    if (!text) return;
    var current = target.value.replace(/\s+$/, "");
    target.value = current ? current + "\n" + text : text;
    target.dispatchEvent(new Event("input", { bubbles: true }));
    var status = document.getElementById("bank-status");
    if (status) status.textContent = "Added: " + text;
  });
})();
