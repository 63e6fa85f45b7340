// Placement: show the Exceptional descriptors when 10 is chosen and the headteacher
// consultation when 1 (Not met) is chosen. The server enforces both either way.
(function () {
  const radios = document.querySelectorAll("input[data-cell]");
  const exceptional = document.getElementById("exceptional-descriptors");
  const gate = document.getElementById("not-met-gate");
  function update() {
    const chosen = document.querySelector("input[data-cell]:checked");
    const value = chosen ? chosen.value : "";
    if (exceptional) exceptional.hidden = value !== "10";
    if (gate) gate.hidden = value !== "1";
  }
  radios.forEach((radio) => radio.addEventListener("change", update));
  update();
})();
