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
