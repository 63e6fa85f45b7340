"""Small registries through which apps to the right of ``growth`` contribute navigation
links and home-page panels, so ``growth`` never imports them (DESIGN.md §4)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

# The header's menus, in the order shown: each role sees the ones holding a link it may use.
NAV_MENUS = {
    "growth": "My growth",
    "team": "My team",
    "school": "My school",
    "trust": "Trust",
}


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    order: int = 50
    # Shown only when this returns True for the request (e.g. role checks).
    visible: Callable[[HttpRequest], bool] = lambda request: True
    # The menu (a key of NAV_MENUS) the link sits in; "" for a link of its own (Home).
    menu: str = ""


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
    if item.menu and item.menu not in NAV_MENUS:
        raise ValueError(f"{item.label!r}: no menu {item.menu!r} (one of {list(NAV_MENUS)})")
    for index, existing in enumerate(_nav):
        if existing.url_name == item.url_name:
            # A link registered again with a menu takes its place in that menu, whichever
            # came first (growth/navigation/links.py places the report pages
            # growth.reporting.dashboards registers without one).
            if item.menu and not existing.menu:
                _nav[index] = item
            return
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


@dataclass(frozen=True)
class NavMenu:
    key: str
    label: str
    links: list[NavLink]

    @property
    def current(self) -> bool:
        return any(link.current for link in self.links)


@dataclass(frozen=True)
class Navigation:
    """The header as a person sees it: links of their own, then the menus they may use."""

    links: list[NavLink]
    menus: list[NavMenu]


def nav_links(request: HttpRequest) -> Navigation:
    links: list[NavLink] = []
    grouped: dict[str, list[NavLink]] = {key: [] for key in NAV_MENUS}
    for item in nav_items(request):
        url = reverse(item.url_name)
        link = NavLink(item.label, url, request.path == url)
        (grouped[item.menu] if item.menu else links).append(link)
    menus = [NavMenu(key, NAV_MENUS[key], found) for key, found in grouped.items() if found]
    return Navigation(links, menus)


def named_url(name: str, *args: Any) -> str:
    """``reverse(name, args=args)``. Kept for the report code that still imports it; new
    code calls ``reverse`` itself."""
    return reverse(name, args=args or None)


def home_panels(request: HttpRequest) -> list[tuple[HomePanel, dict[str, Any]]]:
    """Panels with their context; a panel whose context is None is not shown."""
    shown = []
    for panel in sorted(_panels, key=lambda p: p.order):
        context = panel.context(request)
        if context is not None:
            shown.append((panel, context))
    return shown


@dataclass(frozen=True)
class PersonLink:
    """A link on a person's page to one of their records that an app owns (their plan,
    check-ins, self-review, review). ``link(viewer, subject, found, progress)`` returns the
    label and address when the viewer may open it (``found``: how the viewer stands to the
    person; ``progress``: the person's summary row for the current cycle, or None), else None."""

    key: str
    link: Callable[[Any, Any, set, Any], tuple[str, str] | None]
    order: int = 50


_person_links: list[PersonLink] = []


def register_person_link(item: PersonLink) -> None:
    if all(existing.key != item.key for existing in _person_links):
        _person_links.append(item)


def person_links(viewer: Any, subject: Any, found: set, progress: Any) -> list[tuple[str, str]]:
    """The links a viewer sees on a person's page, in order."""
    shown = []
    for item in sorted(_person_links, key=lambda i: i.order):
        made = item.link(viewer, subject, found, progress)
        if made is not None:
            shown.append(made)
    return shown
