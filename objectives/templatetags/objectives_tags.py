"""Template helpers of the objectives app."""

from django import template

from objectives.grow import grow_answers, leadership_answers
from objectives.models import Area

register = template.Library()


@register.filter
def grow_rows(notes: dict) -> list:
    return grow_answers(notes or {})


@register.filter
def leadership_rows(goal: dict) -> list:
    return leadership_answers(goal or {})


@register.filter
def area_label(value: str) -> str:
    try:
        return Area(value).label
    except ValueError:
        return value
