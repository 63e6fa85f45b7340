"""Writing frames: faithful to seed 002, every slot explicit, nothing left to delete."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from reviews import frames, services
from reviews.selectors import default_frame, frame_for, frames_for
from tests.reviews_fixtures import sample_choices

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent.parent / "shared" / "seeds" / "002_e10f5f557f5e7d6f.txt"
pytestmark = pytest.mark.django_db
FIXTURE = json.loads((ROOT / "fixtures" / "writing_frames.json").read_text())


def _seed_text() -> str:
    path = SEED if SEED.exists() else Path("/work/shared/seeds/002_e10f5f557f5e7d6f.txt")
    return " ".join(path.read_text().split())


def test_it_keeps_the_guides_frames_1_2_3_and_part_2_verbatim():
    seed = _seed_text()
    by_key = {(r["fields"]["part"], r["fields"]["cell"]): r["fields"] for r in FIXTURE}
    for key in [(1, 1), (1, 2), (1, 3), (2, 0)]:
        source = " ".join(by_key[key]["source_text"].split())
        assert source and source in seed, key
    assert by_key[(1, 1)]["source_text"].endswith("(delete as appropriate), by")
    assert by_key[(2, 0)]["body"].startswith("By taking into account your progress")
    assert len(FIXTURE) == 11


@pytest.mark.parametrize("cell", range(1, 11))
@pytest.mark.parametrize("outcome", ["exceeded", "met", "partially_met", "not_met"])
def test_it_fills_every_frame_without_leftover_text(cell, outcome):
    frame = default_frame(1, cell)
    slots = frames.parse_slots(frame.body, frame.slots)
    text = frames.render_frame(
        frame.body, slots, frames.clean_choices(slots, sample_choices(slots)), outcome=outcome
    )
    assert frames.leftovers(text) == []
    assert not re.search(r"\[\[|\]\]|\(e\.g\.|delete as appropriate", text, re.I)
    assert ".." not in text
    if "Please consider" in frame.body or "please consider" in frame.body:
        assert re.search(r"[Pp]lease consider \S", text)


def test_it_turns_the_guides_open_choices_into_explicit_slots():
    frame = default_frame(1, 1)
    slots = {s.name: s for s in frames.parse_slots(frame.body, frame.slots)}
    assert slots["areas"].kind == "areas"
    assert slots["impact"].options == (
        "is low",
        "lacks an evidence base",
        "is not demonstrated in enough depth",
    )
    assert "alternate check-in weeks" in slots["recommendation"].help
    assert slots["by"].kind == "text"
    text = frames.render_frame(
        frame.body,
        list(slots.values()),
        {
            "checkins": slots["checkins"].options[0],
            "recommendation": "reflecting on one objective at every check-in.",
            "impact": "lacks an evidence base",
            "areas": ["Others", "Self"],
            "by": "gathering pupil voice each half term",
        },
        outcome="not_met",
    )
    assert text.startswith("You have not met your Professional Growth objectives.")
    assert "show greater impact on Self and Others, by gathering pupil voice" in text
    assert "I would recommend reflecting on one objective at every check-in." in text


def test_it_names_the_missing_choice():
    frame = default_frame(1, 2)
    slots = frames.parse_slots(frame.body, frame.slots)
    with pytest.raises(frames.FrameError) as caught:
        frames.clean_choices(slots, {"areas": [], "good_work": "", "consider": "x"})
    assert "Self, Others, Trust" in caught.value.errors["areas"]
    assert "Examples of their good work" in caught.value.errors["good_work"]


def test_it_refuses_a_frame_with_an_undefined_slot():
    with pytest.raises(frames.FrameError) as caught:
        frames.parse_slots("Please consider [[nextsteps]].", {"unused": {"kind": "text"}})
    assert set(caught.value.errors) == {"nextsteps", "unused"}


def test_it_uses_a_trusts_own_frame_and_resets_to_the_guides(in_trust, other_world):
    world = in_trust
    services.writing_frame_save(
        actor=world.admin,
        trust=world.trust,
        part=1,
        cell=9,
        body="You have [[outcome]] your objectives. Well done on [[focus]].",
        slots={"focus": {"kind": "text", "label": "What went well"}},
    )
    assert frame_for(trust=world.trust, part=1, cell=9).body.startswith("You have [[outcome]] your")
    assert "Well done" not in frame_for(trust=other_world.trust, part=1, cell=9).body
    assert [f.trust_id for f in frames_for(trust=world.trust)].count(world.trust.pk) == 1
    services.writing_frame_reset(actor=world.admin, trust=world.trust, part=1, cell=9)
    assert frame_for(trust=world.trust, part=1, cell=9).trust_id is None


def test_loaddata_installs_the_shared_frames_once_and_never_touches_a_trusts_own(
    in_trust, other_world
):
    from django.core.management import call_command

    from reviews.models import WritingFrame

    world = in_trust
    own = services.writing_frame_save(
        actor=world.admin,
        trust=world.trust,
        part=1,
        cell=4,
        body="Our own frame: you have [[outcome]] your objectives.",
        slots={},
    )
    call_command("loaddata", str(ROOT / "fixtures" / "writing_frames.json"), verbosity=0)
    call_command("loaddata", str(ROOT / "fixtures" / "writing_frames.json"), verbosity=0)
    shared = WritingFrame.objects.unscoped().filter(trust__isnull=True)
    assert shared.count() == 11
    own.refresh_from_db()
    assert own.body.startswith("Our own frame")
    # The shared rows now come from the database, and read as the fixture does.
    assert default_frame(1, 4).pk is not None
    assert default_frame(1, 4).body == next(
        r["fields"]["body"] for r in FIXTURE if (r["fields"]["part"], r["fields"]["cell"]) == (1, 4)
    )
    assert frame_for(trust=world.trust, part=1, cell=4).pk == own.pk
    assert frame_for(trust=other_world.trust, part=1, cell=4).trust_id is None
