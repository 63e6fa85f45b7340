"""Data protection (UK GDPR): subject access exports, leavers, retention, trust offboarding.

**What belongs to a person** is found generically, so every app's records are covered without
registering anything: starting from their ``StaffMember`` row, a row is one of *their records*
when it points at them through a CASCADE key, or through a key named like a subject
(``staff_member``, ``subject``, ``reviewee``… — their plan, their review, even if it PROTECTs
them), and so on down (the rows hanging off those). A row that points at them any other way
(a review they wrote as reviewer, an audit event about them) is a *mention*: exported as the
row itself, never followed further (it is someone else's record). Apps can refine this with
``register_personal_data`` (hide fields such as tokens, leave a model out, name more subject
keys). Files in any ``FileField`` of their records (statement PDFs…) go into the zip.

Retention deletes exactly their records, so the report and the deletion agree; a leaver
whom someone else's record still protects (a reviewer of a live review) is reported as
blocked and kept.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from celery import shared_task
from dateutil.relativedelta import relativedelta
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models.deletion import ProtectedError, RestrictedError
from django.urls import reverse
from django.utils import timezone

from growth.domain.audit import audit_record, snapshot
from growth.models import AuditEvent, DataExport, RetentionRun, StaffMember, Trust
from growth.reporting.progress import progress_refresh
from growth.reporting.school_progress import school_progress_refresh_all_cycles
from growth.security.rls import audit_maintenance
from growth.security.tenancy import trust_scope

log = logging.getLogger(__name__)

# --- Registry ------------------------------------------------------------------------------


@dataclass
class PersonalDataRule:
    exclude_fields: set[str] = field(default_factory=set)
    excluded: bool = False
    subject_fields: set[str] = field(default_factory=set)


_rules: dict[str, PersonalDataRule] = {}
ALWAYS_HIDDEN = {"password"}


def register_personal_data(
    model: type[models.Model] | str,
    *,
    exclude_fields: tuple[str, ...] = (),
    exclude: bool = False,
    subject_fields: tuple[str, ...] = (),
) -> None:
    """Refine exports and retention for ``model``: hide ``exclude_fields`` (secrets, tokens),
    leave the model out entirely with ``exclude=True``, or name ``subject_fields`` (foreign
    keys to StaffMember that say whose record a row is, beyond the usual names). Call from
    your AppConfig.ready()."""
    label = model if isinstance(model, str) else model._meta.label_lower
    _rules[label.lower()] = PersonalDataRule(set(exclude_fields), exclude, set(subject_fields))


def _rule(model: type[models.Model]) -> PersonalDataRule:
    return _rules.get(model._meta.label_lower, PersonalDataRule())


register_personal_data("growth.dataexport", exclude=True)  # exports never nest exports
register_personal_data("growth.retentionrun", exclude=True)


# --- Gathering -----------------------------------------------------------------------------


@dataclass
class PersonalData:
    records: dict[type[models.Model], list[models.Model]]
    mentions: dict[type[models.Model], list[models.Model]]
    order: list[tuple[type[models.Model], list[Any]]] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {m._meta.label_lower: len(rows) for m, rows in sorted_models(self.records)}


def sorted_models(
    data: dict[type[models.Model], list[models.Model]],
) -> list[tuple[type[models.Model], list[models.Model]]]:
    return sorted(data.items(), key=lambda item: item[0]._meta.label_lower)


# A foreign key to StaffMember with one of these names says whose record a row is, even
# when it PROTECTs the person (a plan, a review); apps can add theirs with
# ``register_personal_data(model, subject_fields=(...,))``.
SUBJECT_FIELDS = {"staff_member", "subject", "reviewee", "observee", "person"}


def _owns(rel: Any, parent: type[models.Model]) -> bool:
    """Whether rows reached through ``rel`` from ``parent`` rows belong to the person."""
    related = rel.related_model
    if rel.many_to_many or related is StaffMember:
        return False
    if rel.on_delete is models.CASCADE:
        return True
    if rel.on_delete not in (models.PROTECT, models.RESTRICT):
        return False  # SET_NULL and the like: a mention (an audit event about them)
    if parent is StaffMember:
        return rel.field.name in SUBJECT_FIELDS | _rule(related).subject_fields
    # A part of one of their records that protects it (a statement of their review).
    return True


def personal_data(staff: StaffMember) -> PersonalData:
    """Everything that is ``staff``'s (see the module docstring). One query per relation per
    level, never one per row. ``order`` lists the record kinds as found, parents first."""
    records: dict[type[models.Model], dict[Any, models.Model]] = defaultdict(dict)
    mentions: dict[type[models.Model], dict[Any, models.Model]] = defaultdict(dict)
    records[StaffMember][staff.pk] = staff
    order: list[tuple[type[models.Model], list[Any]]] = []
    frontier: list[tuple[type[models.Model], list[Any]]] = [(StaffMember, [staff.pk])]
    while frontier:
        model, pks = frontier.pop(0)
        for rel in model._meta.related_objects:
            related = rel.related_model
            if _rule(related).excluded:
                continue
            lookup = f"{rel.field.name}__in"
            rows = list(related._base_manager.filter(**{lookup: pks}))
            if not rows:
                continue
            owned = _owns(rel, model)
            new = [r.pk for r in rows if r.pk not in records[related]]
            for row in rows:
                if owned:
                    records[related][row.pk] = row
                    mentions[related].pop(row.pk, None)
                elif row.pk not in records[related]:
                    mentions[related][row.pk] = row
            if owned and new:
                frontier.append((related, new))
                order.append((related, new))
    return PersonalData(
        {m: list(rows.values()) for m, rows in records.items() if rows},
        {m: list(rows.values()) for m, rows in mentions.items() if rows},
        order,
    )


def serialise(row: models.Model) -> dict[str, Any]:
    hidden = _rule(type(row)).exclude_fields | ALWAYS_HIDDEN
    data: dict[str, Any] = {}
    for f in row._meta.concrete_fields:
        if f.name in hidden or f.attname in hidden:
            continue
        value = f.value_from_object(row)
        if isinstance(f, models.FileField):
            value = value.name if value else ""
        data[f.attname] = value
    for f in row._meta.many_to_many:
        if f.name not in hidden and row.pk is not None:
            data[f.name] = list(getattr(row, f.name).values_list("pk", flat=True))
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def _files_of(rows_by_model: dict[type[models.Model], list[models.Model]]) -> list[str]:
    names: list[str] = []
    for model, rows in rows_by_model.items():
        file_fields = [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
        for row in rows:
            for f in file_fields:
                value = getattr(row, f.attname)
                if value and value.name:
                    names.append(value.name)
    return names


def _account_data(user: Any) -> dict[str, Any]:
    from allauth.account.models import EmailAddress

    return {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "is_active": user.is_active,
        "email_addresses": list(
            EmailAddress.objects.filter(user=user).values("email", "verified", "primary")
        ),
    }


def _add_files(archive: zipfile.ZipFile, names: list[str]) -> list[str]:
    from django.core.files.storage import default_storage

    added = []
    for name in sorted(set(names)):
        try:
            with default_storage.open(name, "rb") as handle:
                archive.writestr(f"files/{name}", handle.read())
            added.append(name)
        except (FileNotFoundError, OSError):
            log.warning("Export: file %s is missing from storage.", name)
    return added


def subject_export_bytes(staff: StaffMember) -> tuple[bytes, dict[str, Any]]:
    """The zip of a subject access export: ``data.json`` plus the person's files."""
    data = personal_data(staff)
    document = {
        "generated_at": timezone.now(),
        "trust": staff.trust.name,
        "person": {"name": staff.full_name, "public_id": str(staff.public_id)},
        "account": _account_data(staff.user),
        "records": {
            m._meta.label_lower: [serialise(r) for r in rows]
            for m, rows in sorted_models(data.records)
        },
        "mentions": {
            m._meta.label_lower: [serialise(r) for r in rows]
            for m, rows in sorted_models(data.mentions)
        },
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "data.json", json.dumps(document, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
        )
        files = _add_files(archive, _files_of(data.records))
        archive.writestr(
            "README.txt",
            f"Subject access export for {staff.full_name} ({staff.trust.name}).\n"
            "data.json holds every record about this person (records) and every record that "
            "mentions them (mentions); files/ holds their documents.\n",
        )
    return buffer.getvalue(), {**data.counts(), "files": len(files)}


def trust_models() -> list[type[models.Model]]:
    """Every model holding a trust's rows (a ``trust`` foreign key to Trust)."""
    found = []
    for model in apps.get_models():
        f = next((f for f in model._meta.concrete_fields if f.name == "trust"), None)
        if getattr(f, "related_model", None) is Trust and not _rule(model).excluded:
            found.append(model)
    return sorted(found, key=lambda m: m._meta.label_lower)


def trust_export_bytes(trust: Trust) -> tuple[bytes, dict[str, Any]]:
    """Offboarding: one JSON file per model with the trust's rows, its people's accounts, and
    every file those rows point at."""
    counts: dict[str, Any] = {}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        files: list[str] = []
        for model in trust_models():
            rows = list(model._base_manager.filter(trust_id=trust.pk).order_by("pk"))
            counts[model._meta.label_lower] = len(rows)
            archive.writestr(
                f"{model._meta.label_lower}.json",
                json.dumps([serialise(r) for r in rows], cls=DjangoJSONEncoder, indent=1),
            )
            files += _files_of({model: rows})
        users = get_user_model().objects.filter(staff_member__trust_id=trust.pk).order_by("pk")
        archive.writestr(
            "accounts.json",
            json.dumps(
                [{"id": u.pk, **_account_data(u)} for u in users], cls=DjangoJSONEncoder, indent=1
            ),
        )
        archive.writestr("trust.json", json.dumps(serialise(trust), cls=DjangoJSONEncoder))
        counts["files"] = len(_add_files(archive, files))
    return buffer.getvalue(), counts


# --- Export workflow -----------------------------------------------------------------------


def _enqueue_build(export: DataExport) -> None:
    trust_id, export_id = export.trust_id, export.pk
    transaction.on_commit(lambda: export_build.delay(trust_id=trust_id, export_id=export_id))


@transaction.atomic
def subject_export_request(*, actor: StaffMember, subject: StaffMember) -> DataExport:
    if subject.trust_id != actor.trust_id:
        raise ValidationError("That person is not in your trust.")
    export = DataExport(
        trust_id=subject.trust_id, kind=DataExport.Kind.SUBJECT, subject=subject, requested_by=actor
    )
    export.full_clean()
    export.save()
    audit_record(
        trust=export.trust_id,
        actor=actor,
        action="privacy.export_request",
        obj=export,
        subject=subject,
        after=snapshot(export, ["kind", "status"]),
    )
    _enqueue_build(export)
    return export


@transaction.atomic
def trust_export_request(*, actor: StaffMember) -> DataExport:
    export = DataExport(trust_id=actor.trust_id, kind=DataExport.Kind.TRUST, requested_by=actor)
    export.full_clean()
    export.save()
    audit_record(
        trust=export.trust_id,
        actor=actor,
        action="privacy.trust_export_request",
        obj=export,
        after=snapshot(export, ["kind", "status"]),
    )
    _enqueue_build(export)
    return export


def export_build_run(*, export_id: int) -> DataExport:
    """Build the zip. Idempotent: a redelivered task finds the export built and stops."""
    with transaction.atomic():
        export = (
            DataExport.objects.select_for_update(of=("self",))
            .select_related("subject")
            .get(pk=export_id)
        )
        if export.status != DataExport.Status.REQUESTED:
            return export
        try:
            if export.kind == DataExport.Kind.SUBJECT:
                payload, counts = subject_export_bytes(export.subject)
                filename = f"subject-access-{export.subject.public_id}.zip"
            else:
                payload, counts = trust_export_bytes(Trust.objects.get(pk=export.trust_id))
                filename = f"trust-export-{export.trust_id}.zip"
        except Exception as exc:
            log.exception("Export %s failed", export.public_id)
            export.status = DataExport.Status.FAILED
            export.error = f"{type(exc).__name__}: {exc}"[:2000]
            export.save(update_fields=["status", "error", "updated_at"])
            return export
        export.file.save(filename, ContentFile(payload), save=False)
        export.file_size = len(payload)
        export.contents = counts
        export.status = DataExport.Status.BUILT
        export.built_at = timezone.now()
        export.save()
        audit_record(
            trust=export.trust_id,
            actor=None,
            action="privacy.export_built",
            obj=export,
            subject=export.subject,
            after={"contents": counts, "bytes": len(payload)},
        )
        _tell_requester_built(export)
    return export


def _tell_requester_built(export: DataExport) -> None:
    """The admin who asked is told the export waits for their review (always emailed)."""
    from growth.notifications.services import notify

    requester = (
        StaffMember.objects.for_trust(export.trust_id)
        .select_related("user")
        .filter(pk=export.requested_by_id)
        .first()
    )
    if requester is None:
        return
    whose = f"{export.subject.full_name}'s subject access" if export.subject else "The whole-trust"
    url = settings.SITE_URL.rstrip("/") + reverse("privacy_export", args=[export.public_id])
    notify(
        trust_id=export.trust_id,
        to=[requester.user.email],
        kind="data_export",
        subject=f"{whose} export is ready for your review",
        body=f"Check what it holds, then release it for download or withdraw it:\n{url}\n",
        url=url,
    )


@shared_task(name="growth.privacy.export_build")
def export_build(*, trust_id: int, export_id: int) -> str:
    with trust_scope(trust_id):
        return export_build_run(export_id=export_id).status


@transaction.atomic
def export_release(*, actor: StaffMember, export: DataExport) -> DataExport:
    """The trust admin has checked the contents (third parties' data) and releases it."""
    if export.status != DataExport.Status.BUILT:
        raise ValidationError("Only a built export that awaits review can be released.")
    export.status = DataExport.Status.RELEASED
    export.reviewed_by = actor
    export.reviewed_at = timezone.now()
    export.save(update_fields=["status", "reviewed_by", "reviewed_at", "updated_at"])
    audit_record(
        trust=export.trust_id,
        actor=actor,
        action="privacy.export_release",
        obj=export,
        subject=export.subject,
        after=snapshot(export, ["status"]),
    )
    return export


@transaction.atomic
def export_withdraw(*, actor: StaffMember, export: DataExport) -> DataExport:
    """Withdraw an export (wrong person, superseded): the file is deleted."""
    if export.status == DataExport.Status.WITHDRAWN:
        return export
    name = export.file.name
    export.status = DataExport.Status.WITHDRAWN
    export.reviewed_by = actor
    export.reviewed_at = timezone.now()
    export.file = ""
    export.save()
    audit_record(
        trust=export.trust_id,
        actor=actor,
        action="privacy.export_withdraw",
        obj=export,
        subject=export.subject,
        after=snapshot(export, ["status"]),
    )
    if name:
        transaction.on_commit(lambda: _delete_files([name]))
    return export


def export_download_record(*, actor: StaffMember, export: DataExport) -> None:
    audit_record(
        trust=export.trust_id,
        actor=actor,
        action="privacy.export_download",
        obj=export,
        subject=export.subject,
    )


# --- Leavers -------------------------------------------------------------------------------


@transaction.atomic
def staff_member_leave(*, actor: Any, staff: StaffMember, leave_date: dt.date) -> StaffMember:
    """A leaver: membership inactive and the account disabled, so sign-in is refused, but
    every record is kept until the trust's retention period ends."""
    before = snapshot(staff, ["is_active", "leave_date"])
    staff.leave_date = leave_date
    staff.is_active = False
    staff.full_clean(exclude=["user"])
    staff.save(update_fields=["leave_date", "is_active", "updated_at"])
    user = staff.user
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
    from django.contrib.sessions.models import Session

    # Sessions are in the database: end theirs now rather than at the next request.
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
    audit_record(
        trust=staff.trust_id,
        actor=actor,
        action="staff.leave",
        obj=staff,
        subject=staff,
        before=before,
        after=snapshot(staff, ["is_active", "leave_date"]),
    )
    return staff


# --- Retention -----------------------------------------------------------------------------


def retention_due(trust: Trust, today: dt.date) -> list[StaffMember]:
    """Leavers whose retention period has ended."""
    cutoff = today - relativedelta(months=trust.retention_months)
    return list(
        StaffMember.objects.for_trust(trust)
        .filter(is_active=False, leave_date__isnull=False, leave_date__lte=cutoff)
        .select_related("user")
        .order_by("leave_date", "pk")
    )


def _blocked_reason(staff: StaffMember) -> str:
    """Why the person cannot be erased (someone else's record still points at them through a
    protecting key, e.g. a review they wrote as reviewer), found by trying it and rolling back."""
    try:
        with transaction.atomic():
            person_erase(staff=staff)
            transaction.set_rollback(True)
    except (ProtectedError, RestrictedError) as exc:
        kinds = sorted({str(o._meta.verbose_name) for o in exc.args[1]})
        return "Still referred to by: " + ", ".join(kinds)
    return ""


def retention_report(trust: Trust, today: dt.date) -> list[dict[str, Any]]:
    """The dry run: who would be deleted, with how many records of each kind."""
    report = []
    for staff in retention_due(trust, today):
        report.append(
            {
                "public_id": str(staff.public_id),
                "name": staff.full_name,
                "leave_date": staff.leave_date.isoformat(),
                "records": personal_data(staff).counts(),
                "blocked": _blocked_reason(staff),
            }
        )
    return report


def _delete_files(names: list[str]) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            log.warning("Could not delete %s from storage.", name)


@transaction.atomic
def person_erase(*, staff: StaffMember) -> dict[str, int]:
    """Delete a leaver's growth records (everything Django cascades from their membership),
    the audit rows about them, their files and their account. Rows that merely mention them
    (a check-in they held as a manager) keep the row with the link emptied."""
    data = personal_data(staff)
    counts = data.counts()
    files = _files_of(data.records)
    others = _others_named_in(data.records, staff)
    user = staff.user
    staff = StaffMember.objects.for_trust(staff.trust_id).get(pk=staff.pk)
    with audit_maintenance():
        AuditEvent.objects.for_trust(staff.trust_id).filter(subject=staff).delete()
        # Their records that protect their membership go first, children before parents.
        for model, pks in reversed(data.order):
            model._base_manager.filter(pk__in=pks).delete()
        staff.delete()
        if not StaffMember.objects.unscoped().filter(user=user).exists():
            user.delete()
    # Some of their records count in other people's progress (an observation they made is
    # one of the observee's this term): those people's summaries change with the deletion.
    progress_refresh(people=StaffMember.objects.for_trust(staff.trust_id).filter(pk__in=others))
    # And their school no longer counts them.
    school_progress_refresh_all_cycles(trust_id=staff.trust_id, school_ids=[staff.school_id])
    transaction.on_commit(lambda: _delete_files(files))
    return counts


def _others_named_in(
    records: dict[type[models.Model], list[models.Model]], staff: StaffMember
) -> set[int]:
    """The other people the person's records point at (the observee of an observation they
    made, say)."""
    return {
        person_id
        for model, rows in records.items()
        for f in model._meta.concrete_fields
        if f.is_relation and f.related_model is StaffMember
        for person_id in (getattr(row, f.attname) for row in rows)
        if person_id is not None and person_id != staff.pk
    }


def retention_run(*, trust: Trust, today: dt.date, dry_run: bool) -> RetentionRun:
    """A dry run records the report. A real run deletes only people who were already on a
    dry-run report at least GROWTH_RETENTION_NOTICE_DAYS ago and are not blocked."""
    report = retention_report(trust, today)
    with trust_scope(trust), transaction.atomic():
        if dry_run:
            run = RetentionRun.objects.create(trust=trust, dry_run=True, people=report)
            audit_record(
                trust=trust,
                actor=None,
                action="privacy.retention_dry_run",
                obj=run,
                after={"people": len(report)},
            )
            return run
        notice = timezone.now() - dt.timedelta(days=settings.GROWTH_RETENTION_NOTICE_DAYS)
        noticed = {
            p["public_id"]
            for run in RetentionRun.objects.filter(dry_run=True, run_at__lte=notice)
            for p in run.people
        }
        by_id = {str(s.public_id): s for s in retention_due(trust, today)}
        erased = []
        for entry in report:
            if entry["public_id"] not in noticed or entry["blocked"]:
                continue
            counts = person_erase(staff=by_id[entry["public_id"]])
            erased.append(
                {
                    "public_id": entry["public_id"],
                    "leave_date": entry["leave_date"],
                    "records": counts,
                }
            )
        gone = {e["public_id"] for e in erased}
        # The names of erased people do not outlive them in earlier reports.
        for earlier in RetentionRun.objects.filter(dry_run=True):
            people = [
                {**p, "name": "(deleted)"} if p["public_id"] in gone else p for p in earlier.people
            ]
            if people != earlier.people:
                earlier.people = people
                earlier.save(update_fields=["people", "updated_at"])
        run = RetentionRun.objects.create(trust=trust, dry_run=False, people=erased)
        audit_record(
            trust=trust,
            actor=None,
            action="privacy.retention_delete",
            obj=run,
            after={"people": len(erased)},
        )
        return run


@shared_task(name="growth.privacy.retention_sweep")
def retention_sweep() -> dict[str, int]:
    """Daily: delete the leavers already reported, then report the ones now due."""
    today = timezone.localdate()
    deleted: dict[str, int] = {}
    for trust in Trust.objects.order_by("pk"):
        with trust_scope(trust):
            run = retention_run(trust=trust, today=today, dry_run=False)
            retention_run(trust=trust, today=today, dry_run=True)
        deleted[trust.slug] = len(run.people)
    return deleted


# --- Offboarding ---------------------------------------------------------------------------


@transaction.atomic
def _deletion_order() -> list[type[models.Model]]:
    """Every model with rows of a trust, each before the models it points at, so deleting
    them in this order never meets a protected reference (a school its staff still name, a
    cycle its plans still name). Where models point at each other in a circle, the nullable
    references are left out of the order: the rows that hold them go first or are emptied by
    Django's own SET_NULL."""
    import graphlib

    owned = [
        model
        for model in apps.get_models()
        if any(
            f.name == "trust" and getattr(f, "related_model", None) is Trust
            for f in model._meta.concrete_fields
        )
    ]

    def graph(with_nullable: bool) -> dict[type[models.Model], set[type[models.Model]]]:
        return {
            model: {
                f.related_model
                for f in model._meta.concrete_fields
                if f.is_relation
                and f.related_model in owned
                and f.related_model is not model
                and (with_nullable or not f.null)
            }
            for model in owned
        }

    try:
        order = list(graphlib.TopologicalSorter(graph(True)).static_order())
    except graphlib.CycleError:
        order = list(graphlib.TopologicalSorter(graph(False)).static_order())
    return list(reversed(order))


@transaction.atomic
def trust_delete(*, trust: Trust) -> None:
    """Delete a whole trust after its offboarding export (a platform admin's command): every
    row it owns, children before parents, then the trust, then its people's accounts. The
    audit rows go with it, which the audit guard allows only here."""
    from growth.security.rls import all_trusts

    with all_trusts(), audit_maintenance():
        files = []
        for model in trust_models():
            files += _files_of({model: list(model._base_manager.filter(trust_id=trust.pk))})
        users = list(get_user_model().objects.filter(staff_member__trust_id=trust.pk))
        for model in _deletion_order():
            model._base_manager.filter(trust_id=trust.pk).delete()
        trust.delete()
        # Memberships PROTECT their accounts: the accounts go once the memberships have.
        for user in users:
            user.delete()
    transaction.on_commit(lambda: _delete_files(files))
