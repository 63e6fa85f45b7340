"""A small same-site crawler for the hardening tests: follows links (GET only, bounded) as a
signed-in person, records every page and every form it finds."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

# Never followed: signing out ends the crawl's session; the admin and static files are not
# the app's pages; downloads are binary (their access checks are tested directly).
SKIP_PREFIXES = ("/accounts/logout", "/admin/", "/static/", "/media")
SKIP_SUFFIXES = ("/download/", ".pdf", ".zip", ".ics", ".csv", ".xlsx")


@dataclass
class Field:
    name: str
    kind: str  # input type, "textarea" or "select"
    options: list[str] = field(default_factory=list)
    value: str = ""
    required: bool = False
    multiple: bool = False


@dataclass
class Form:
    page: str
    action: str
    method: str
    fields: dict[str, Field] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, tuple[str, ...]]:
        return (self.action, tuple(sorted(self.fields)))


class PageParser(HTMLParser):
    def __init__(self, url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.url = url
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(urljoin(self.url, a["href"]))
        for verb in ("hx-get",):
            if a.get(verb):
                self.links.append(urljoin(self.url, a[verb]))
        if tag == "form":
            method = (a.get("method") or "get").lower()
            action = a.get("action") or self.url
            for verb in ("hx-post", "hx-put", "hx-patch", "hx-delete"):
                if a.get(verb):
                    method, action = "post", a[verb]
            self._form = Form(self.url, urljoin(self.url, action), method)
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "textarea", "select", "button"):
            name = a.get("name")
            if not name:
                return
            kind = a.get("type", "text").lower() if tag == "input" else tag
            if tag == "button":
                kind = "submit"
            existing = self._form.fields.get(name)
            if existing is not None and kind in ("radio", "checkbox"):
                existing.options.append(a.get("value", "on"))
                return
            f = Field(
                name,
                kind,
                value=a.get("value", ""),
                required="required" in a,
                multiple="multiple" in a,
            )
            if kind in ("radio", "checkbox"):
                f.options.append(a.get("value", "on"))
            self._form.fields[name] = f
            if tag == "select":
                self._select = f
            if tag == "textarea":
                self._textarea = f
        elif tag == "option" and self._select is not None:
            self._select.options.append(a.get("value", ""))

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def parameterless_urls() -> list[str]:
    """Every named URL of the project's own apps that needs no argument."""
    found: list[str] = []

    def walk(resolver: URLResolver, namespace: str) -> None:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                if (entry.namespace or "") == "admin" or (entry.app_name or "") == "admin":
                    continue
                if str(entry.pattern).startswith("accounts/"):
                    continue
                ns = entry.namespace
                walk(entry, f"{namespace}{ns}:" if ns else namespace)
            elif isinstance(entry, URLPattern) and entry.name:
                if getattr(entry.pattern, "converters", {}):
                    continue
                try:
                    found.append(reverse(namespace + entry.name))
                except Exception:  # noqa: S112 - patterns with regex groups need arguments
                    continue

    walk(get_resolver(), "")
    return sorted(set(found))


def local_path(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    if not path.startswith("/") or path.startswith(SKIP_PREFIXES):
        return None
    if parts.path.endswith(SKIP_SUFFIXES):
        return None
    return path


@dataclass
class CrawlResult:
    pages: dict[str, int] = field(default_factory=dict)  # path -> status
    forms: list[Form] = field(default_factory=list)
    responses: dict[str, object] = field(default_factory=dict)


def crawl(client: Client, starts: list[str], limit: int = 150) -> CrawlResult:
    result = CrawlResult()
    queue = deque(starts)
    seen = set(starts)
    while queue and len(result.pages) < limit:
        path = queue.popleft()
        response = client.get(path)
        result.pages[path] = response.status_code
        result.responses[path] = response
        if response.status_code in (301, 302, 303):
            target = local_path(urljoin(f"http://testserver{path}", response["Location"]))
            if target and target not in seen:
                seen.add(target)
                queue.append(target)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        parser = PageParser(f"http://testserver{path}")
        parser.feed(response.content.decode())
        result.forms += parser.forms
        for link in parser.links:
            target = local_path(link)
            if target and target not in seen and "#" not in target:
                seen.add(target)
                queue.append(target)
        for form in parser.forms:
            target = local_path(form.action)
            if form.method == "get" and target and target not in seen:
                seen.add(target)
                queue.append(target)
    return result
