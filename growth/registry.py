"""Small registries through which apps to the right of ``growth`` contribute navigation
links and home-page panels, so ``growth`` never imports them (DESIGN.md §4)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    order: int = 50
    # Shown only when this returns True for the request (e.g. role checks).
    visible: Callable[[HttpRequest], bool] = lambda request: True


@dataclass(frozen=True)
class HomePanel:
    """A panel on a role's home page. ``render`` returns the template name and its context."""

    key: str
    template: str
    context: Callable[[HttpRequest], dict[str, Any] | None]
    order: int = 50
    # A wide panel takes the full width of the home page (e.g. a table of many columns).
    wide: bool = False


_nav: list[NavItem] = []
_panels: list[HomePanel] = []


def register_nav(item: NavItem) -> None:
    if all(existing.url_name != item.url_name for existing in _nav):
        _nav.append(item)


def register_home_panel(panel: HomePanel) -> None:
    if all(existing.key != panel.key for existing in _panels):
        _panels.append(panel)


def nav_items(request: HttpRequest) -> list[NavItem]:
    return sorted((i for i in _nav if i.visible(request)), key=lambda i: i.order)


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str
    current: bool  # the page being shown


def nav_links(request: HttpRequest) -> list[NavLink]:
    """The menu as the header shows it: each visible item's address, resolved once per
    process (every page draws the menu, and ``reverse`` per item per page cost more than the
    rest of the header), and whether it is the page being shown."""
    links = []
    for item in nav_items(request):
        url = named_url(item.url_name)
        links.append(NavLink(item.label, url, request.path == url))
    return links


def named_url(name: str, *args: Any) -> str:
    """``reverse(name, args=args)``, resolved once per name, arguments, script prefix and
    URLconf: for the links every page draws (the menu) and the patterns of report rows'
    links (``growth.reports.url_maker``)."""
    from django.urls import get_script_prefix, get_urlconf, reverse

    key = (name, args, get_script_prefix(), get_urlconf())
    url = _named_urls.get(key)
    if url is None:
        url = _named_urls[key] = reverse(name, args=args or None)
    return url


_named_urls: dict[tuple[str, tuple[Any, ...], str, Any], str] = {}


def home_panels(request: HttpRequest) -> list[tuple[HomePanel, dict[str, Any]]]:
    """Panels with their context; a panel whose context is None is not shown."""
    shown = []
    for panel in sorted(_panels, key=lambda p: p.order):
        context = panel.context(request)
        if context is not None:
            shown.append((panel, context))
    return shown
