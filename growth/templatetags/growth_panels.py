"""``{% page_panels "app.page" obj as panels %}``: the panels other apps registered for a
page (growth.navigation.registry.register_page_panel), each included by the page's own template."""

from __future__ import annotations

from typing import Any

from django import template

from growth.navigation.registry import page_panels as registered_panels

register = template.Library()


@register.simple_tag(takes_context=True)
def page_panels(context: template.Context, page: str, obj: Any) -> list[dict[str, Any]]:
    request = context.get("request")
    if request is None:
        return []
    return [
        {"template": panel.template, "context": ctx, "key": panel.key}
        for panel, ctx in registered_panels(page, request, obj)
    ]
