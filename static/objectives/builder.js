// The objective builder: pick a phrase from the bank to add it to the form. The form's own
// htmx trigger then refreshes the live "To … through … in order to … by …" preview.
(function () {
  function tidy(what) {
    // A bank phrase goes into the middle of the sentence ("To … through researching two
    // pieces of theory in order to improve …"), so it loses its capital; names keep theirs:
    // an acronym or placeholder ("QTLS", "X piece"), or words capitalised together
    // ("Thinking Mastery practice"). What a person types is left as typed.
    var words = (what || "").split(/\s+/);
    var first = words[0] || "";
    if (first.length < 2 || first.slice(1) !== first.slice(1).toLowerCase()) return what;
    if (words.length > 1 && /^[A-Z]/.test(words[1])) return what;
    return what.charAt(0).toLowerCase() + what.slice(1);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-add-to]");
    if (!button) return;
    var target = document.getElementById(button.dataset.addTo);
    if (!target) return;
    var text = tidy(button.dataset.phrase || "");
    if (button.dataset.compose) {
      var how = tidy(document.getElementById("bank-how").value);
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
