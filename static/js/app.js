// Site-wide behaviour. Lives in a file, never inline, because the Content Security Policy
// forbids inline script.

// The trust's colour (a validated #rrggbb) is set through the CSS object model: the Content
// Security Policy forbids inline <style>, not a custom property set from a script file.
const trustColour = document.body.dataset.trustColour;
if (trustColour && /^#[0-9a-fA-F]{6}$/.test(trustColour)) {
  document.documentElement.style.setProperty("--trust-colour", trustColour);
}
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

// A table wider than a phone scrolls inside its .table-responsive box; a box that scrolls
// must be reachable by keyboard to be scrolled without a pointer (WCAG 2.1.1), and only one
// that scrolls should be a tab stop.
function markScrollingTables(root) {
  root.querySelectorAll(".table-responsive").forEach((box) => {
    if (box.hasAttribute("tabindex") && !box.dataset.scrollMarked) return;  // the page's own
    if (box.scrollWidth > box.clientWidth) {
      const caption = box.querySelector("caption");
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", caption ? caption.textContent.trim() : "Table");
      box.dataset.scrollMarked = "yes";
    } else if (box.dataset.scrollMarked) {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
      delete box.dataset.scrollMarked;
    }
  });
}
document.addEventListener("DOMContentLoaded", () => markScrollingTables(document));
window.addEventListener("resize", () => markScrollingTables(document));
document.addEventListener("htmx:afterSettle", (event) => markScrollingTables(event.target));
