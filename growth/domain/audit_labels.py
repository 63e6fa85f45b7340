"""The audit trail and data exports in words for people: each audited action as a sentence
and each kind of record by its model's verbose name, never ``checkins.checkinreflection``."""

from __future__ import annotations

import re

from django.apps import apps
from django.utils.text import capfirst

# Every action a service writes (``audit_record(action=...)``), as the trail shows it.
ACTION_LABELS = {
    "bank.add": "Added a phrase to the objectives bank",
    "leader_review.arrange": "Named who reviews a headteacher",
    "bank.edit": "Changed a phrase in the objectives bank",
    "checkin.calendar_feed_revoke": "Reset the check-in calendar link",
    "checkin.evidence_add": "Added evidence to a check-in",
    "checkin.evidence_remove": "Removed evidence from a check-in",
    "checkin.record": "Recorded a check-in",
    "checkin.reminder_digest": "Changed check-in reminder emails",
    "checkin.held": "Recorded a check-in as held",
    "checkin.missed": "Recorded a check-in as missed",
    "checkin.moved": "Moved a check-in",
    "checkin.cancelled": "Cancelled a check-in",
    "cycle.create": "Created a growth cycle",
    "cycle.update": "Changed a growth cycle",
    "feedback.confirm": "Confirmed a feedback conversation",
    "feedback.create": "Recorded a feedback conversation",
    "framework.create": "Created a framework",
    "framework.load": "Loaded a framework",
    "framework.publish": "Published a framework",
    "goal.create": "Added a strategic goal",
    "objective.update": "Changed an objective",
    "observation.agree": "Agreed an observation's timing and focus",
    "observation.cancel": "Cancelled an observation",
    "observation.complete": "Recorded what an observation saw",
    "observation.create": "Arranged an observation",
    "plan.agree": "Agreed a growth plan",
    "plan.grow_update": "Saved the GROW conversation",
    "plan.request_changes": "Asked for changes to a growth plan",
    "plan.start": "Started a growth plan",
    "plan.submit": "Submitted a growth plan",
    "plan.withdraw": "Withdrew a growth plan",
    "priority.create": "Added a trust priority",
    "privacy.export_built": "Built a data export",
    "privacy.export_download": "Downloaded a data export",
    "privacy.export_release": "Released a data export",
    "privacy.export_request": "Asked for a data export",
    "privacy.export_withdraw": "Withdrew a data export",
    "privacy.retention_delete": "Deleted records past their retention period",
    "privacy.retention_dry_run": "Checked which records are past their retention period",
    "privacy.trust_export_request": "Asked for an export of the whole trust",
    "reviews.comment.add": "Commented on a review as its adviser",
    "reviews.frame.reset": "Reset a writing frame",
    "reviews.frame.save": "Changed a writing frame",
    "reviews.outcome_key.update": "Changed the outcome key",
    "reviews.pdf.read": "Opened a statement PDF",
    "reviews.pdf.render": "Printed a statement PDF",
    "reviews.reflection.submit": "Submitted a July reflection",
    "reviews.review.acknowledge": "Acknowledged a review statement",
    "reviews.review.amended": "Amended a review outcome (final decision)",
    "reviews.review.confirmed": "Confirmed a review outcome (final decision)",
    "reviews.review.place": "Placed a review on the grid",
    "reviews.review.start": "Started a review",
    "reviews.review.submit": "Submitted a review for the final decision",
    "reviews.statement.autosave": "Saved a draft statement",
    "reviews.zip.request": "Asked for a school's statements as a zip",
    "role.assign": "Gave a role",
    "role.revoke": "Ended a role",
    "school_focus.set": "Set the school's Impact on Trust focus",
    "self_review.comment": "Commented on a self-review",
    "self_review.save": "Saved a self-review",
    "self_review.share": "Shared a self-review with the line manager",
    "self_review.start": "Started a self-review",
    "staff.create": "Added a member of staff",
    "staff.invitation_accepted": "Accepted the invitation to sign in",
    "staff.invitation_resent": "Sent the invitation to sign in again",
    "staff.invite": "Invited a member of staff to sign in",
    "staff.leave": "Recorded a leaver",
    "staff.update": "Changed a member of staff's details",
    "standard.create": "Added a standard",
    "standard.delete": "Removed a standard",
    "standard.descriptors": "Changed a standard's descriptors",
    "standard.move_up": "Moved a standard up",
    "standard.move_down": "Moved a standard down",
    "trust.settings_update": "Changed the trust's settings",
}

# How the app spells what the model names run together.
_SPELLING = {"checkin": "check-in", "self review": "self-review", "pdf": "PDF", "zip": "zip file"}


def record_kind(label: str) -> str:
    """A model label (``checkins.checkinreflection``) as the kind of record it holds
    ("Check-in reflection"); any other key (``files``) as a word."""
    try:
        name = str(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        name = label.replace("_", " ")
    for written, spelt in _SPELLING.items():
        name = re.sub(rf"\b{written}\b", spelt, name)
    return capfirst(name)


def action_label(action: str, object_type: str = "") -> str:
    """An audited action as a sentence; a read as "Opened a …" of its record."""
    if action in ACTION_LABELS:
        return ACTION_LABELS[action]
    if action.endswith(".read"):
        return f"Opened: {record_kind(object_type or action.removesuffix('.read')).lower()}"
    # An action added without a label still reads as words, not as a dotted code.
    return capfirst(action.replace(".", " ").replace("_", " "))
