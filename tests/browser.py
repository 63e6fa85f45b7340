"""What the browser tests check on every page they open."""

from __future__ import annotations

from django.test import RequestFactory

from growth.navigation.registry import Navigation, nav_links
from growth.security.tenancy import trust_scope

# A laptop's window and a phone's: no page may be wider than either.
WIDTHS = {"laptop": (1280, 800), "phone": (375, 740)}

# Every element that sticks out of the window, unless a box of its own scrolls or clips it
# (a wide table in .table-responsive scrolls inside the page, not the page).
OVERFLOWING = """
() => {
  const width = document.documentElement.clientWidth;
  const found = [];
  if (document.documentElement.scrollWidth > width) {
    found.push(`the page is ${document.documentElement.scrollWidth}px wide`);
  }
  const clipped = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(p).overflowX)) {
        return true;
      }
    }
    return false;
  };
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    if ((box.right > width + 0.5 || box.left < -0.5) && !clipped(el)) {
      const classes = typeof el.className === 'string' ? el.className.split(' ') : [];
      const name = [el.tagName.toLowerCase() + (el.id ? '#' + el.id : ''), ...classes].join('.');
      found.push(`${name} (${Math.round(box.left)} to ${Math.round(box.right)}px): ` +
        (el.textContent || '').trim().slice(0, 40));
    }
  }
  return found.slice(0, 8);
}
"""


def assert_fits(page, where: str) -> None:
    overflowing = page.evaluate(OVERFLOWING)
    assert not overflowing, f"wider than the window on {where}:\n" + "\n".join(overflowing)


# Resolves once the page has drawn two frames: a chart redraws at its new width one frame
# after the window is resized.
TWO_FRAMES = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


def assert_fits_on_laptop_and_phone(page, where: str) -> None:
    """The page as it is now, at a laptop's width and a phone's, then back to the laptop's."""
    for size, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_load_state()
        page.evaluate(TWO_FRAMES)
        assert_fits(page, f"{where} on a {size}")
    width, height = WIDTHS["laptop"]
    page.set_viewport_size({"width": width, "height": height})


def header_menus(staff) -> Navigation:
    """The header's links and menus as the server builds them for ``staff``."""
    request = RequestFactory().get("/")
    request.staff = staff
    request.user = staff.user
    with trust_scope(staff.trust):
        return nav_links(request)
