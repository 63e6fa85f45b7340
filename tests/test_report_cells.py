"""The report cells' own formatting helpers give what Django's would (growth/reports.py)."""

from __future__ import annotations

from growth.models import StaffMember
from growth.reports import choice_label
from objectives.models import GrowthPlan
from reviews.models import Review


def test_a_choice_is_labelled_as_get_display_labels_it():
    for model, name in ((GrowthPlan, "state"), (Review, "status"), (StaffMember, "category")):
        for value, _label in model._meta.get_field(name).flatchoices:
            obj = model(**{name: value})
            display = getattr(obj, f"get_{name}_display")()
            assert choice_label(obj, name) == display
    # A value outside the choices shows as itself, as Django's does.
    odd = GrowthPlan(state="archived-by-hand")
    assert choice_label(odd, "state") == odd.get_state_display() == "archived-by-hand"
