"""Small registries through which apps to the right of ``growth`` contribute navigation
links and home-page panels, so ``growth`` never imports them (DESIGN.md §4)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.urls import reverse

if TYPE_CHECKING:
    from growth.reporting.dashboards import Home
    from growth.security.access import Viewer

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
    # Shown only when this returns True for the signed-in person (e.g. role checks).
    visible: Callable[[Viewer], bool] = lambda viewer: True
    # The menu (a key of NAV_MENUS) the link sits in; "" for a link of its own (Home).
    menu: str = ""


@dataclass(frozen=True)
class HomePanel:
    """A panel on a role's home page: ``context(home)`` returns the template's context, or
    None to leave the panel out. ``home`` (growth.reporting.dashboards.Home) holds what the
    home view read once for every panel: the viewer, the cycle and the viewer's own and
    team's people with their progress rows."""

    key: str
    template: str
    context: Callable[[Home], dict[str, Any] | None]
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


def nav_items(viewer: Viewer) -> list[NavItem]:
    return sorted((i for i in _nav if i.visible(viewer)), key=lambda i: i.order)


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


def nav_links(request: HttpRequest, viewer: Viewer | None = None) -> Navigation:
    """The header of ``request.staff`` (who must be signed in to a trust); ``viewer`` when the
    page has already worked it out."""
    if viewer is None:
        from growth.security.access import viewer_of

        viewer = viewer_of(request.staff)  # type: ignore[attr-defined]
    links: list[NavLink] = []
    grouped: dict[str, list[NavLink]] = {key: [] for key in NAV_MENUS}
    for item in nav_items(viewer):
        url = reverse(item.url_name)
        link = NavLink(item.label, url, request.path == url)
        (grouped[item.menu] if item.menu else links).append(link)
    menus = [NavMenu(key, NAV_MENUS[key], found) for key, found in grouped.items() if found]
    return Navigation(links, menus)


def home_panels(home: Home) -> list[tuple[HomePanel, dict[str, Any]]]:
    """Panels with their context; a panel whose context is None is not shown."""
    shown = []
    for panel in sorted(_panels, key=lambda p: p.order):
        context = panel.context(home)
        if context is not None:
            shown.append((panel, context))
    return shown


@dataclass(frozen=True)
class PagePanel:
    """A panel an app to the right adds to another app's page (e.g. learning's "what
    colleagues recommend" on the objectives app's objective builder), so the page's app never
    imports it. ``context(request, obj)`` returns the panel's context, or None to hide it."""

    key: str
    template: str
    context: Callable[[HttpRequest, Any], dict[str, Any] | None]
    order: int = 50


_page_panels: dict[str, list[PagePanel]] = {}


def register_page_panel(page: str, panel: PagePanel) -> None:
    found = _page_panels.setdefault(page, [])
    if all(existing.key != panel.key for existing in found):
        found.append(panel)


def page_panels(page: str, request: HttpRequest, obj: Any) -> list[tuple[PagePanel, dict]]:
    """The panels registered for ``page`` with their context, for ``{% page_panels %}``."""
    shown = []
    for panel in sorted(_page_panels.get(page, []), key=lambda p: p.order):
        context = panel.context(request, obj)
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
