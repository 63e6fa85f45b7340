// Site-wide behaviour. Lives in a file, never inline, because the Content Security Policy
// forbids inline script.
document.addEventListener("htmx:responseError", (event) => {
  const status = event.detail.xhr.status;
  const region = document.querySelector("[data-htmx-errors]") || document.querySelector("main");
  const alert = document.createElement("div");
  alert.className = "alert alert-danger";
  alert.setAttribute("role", "alert");
  alert.textContent = status >= 500
    ? "Something went wrong on our side. Your work has not been lost; please try again."
    : "That could not be saved. Check the form and try again.";
  region.prepend(alert);
});

// A form marked data-swap-4xx shows the server's own 4xx message (e.g. "too much text to
// save as a draft") in its target instead of the generic alert above.
document.addEventListener("htmx:beforeSwap", (event) => {
  const status = event.detail.xhr.status;
  if (status >= 400 && status < 500 && event.detail.elt.closest("[data-swap-4xx]")) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
