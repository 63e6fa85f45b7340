"""Writes of the core domain. Every function is keyword-only, atomic and audited."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from decimal import Decimal
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from growth.domain.audit import audit_record, audit_record_many, audited_change, snapshot
from growth.models import (
    AuditEvent,
    CareerStage,
    Closure,
    GrowthCycle,
    LeaderReviewArrangement,
    RoleAssignment,
    School,
    SchoolMove,
    StaffMember,
    StrategicGoal,
    Term,
    Trust,
    TrustPriority,
)
from growth.reporting.progress import progress_refresh, progress_refresh_cycle
from growth.reporting.school_progress import school_progress_refresh_all_cycles

User = get_user_model()


@transaction.atomic
def staff_member_create(
    *,
    actor: Any,
    trust: Trust,
    email: str,
    first_name: str,
    last_name: str,
    school: School,
    job_title: str,
    category: str,
    career_stage: CareerStage | None = None,
    line_manager: StaffMember | None = None,
    start_date: dt.date | None = None,
    fte: Decimal | None = None,
    email_verified: bool = False,
    **flags: Any,
) -> StaffMember:
    """Create the person's sign-in account (no usable password until they accept the
    invitation) and their membership of ``trust``."""
    email = email.strip().lower()
    user = User(email=email, username=email[:150], first_name=first_name, last_name=last_name)
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=email_verified)
    staff = StaffMember(
        trust=trust,
        user=user,
        school=school,
        job_title=job_title,
        category=category,
        career_stage=career_stage,
        line_manager=line_manager,
        start_date=start_date or dt.date.today(),
        fte=fte if fte is not None else Decimal("1.000"),
        **flags,
    )
    staff.full_clean(exclude=["user"])
    staff.save()
    audit_record(
        trust=trust,
        actor=actor,
        action="staff.create",
        obj=staff,
        subject=staff,
        after=snapshot(staff),
    )
    progress_refresh(people=[staff])
    return staff


STAFF_UPDATABLE = {
    "school",
    "job_title",
    "category",
    "career_stage",
    "line_manager",
    "start_date",
    "leave_date",
    "fte",
    "holds_tlr",
    "is_senior_leader",
    "is_coaching_facilitator",
    "coaching_qualified",
    "asked_for_leadership_goal",
    "is_active",
    "pay_range",
    "pay_point",
}


@transaction.atomic
def staff_member_update(
    *,
    actor: Any,
    staff: StaffMember,
    first_name: str | None = None,
    last_name: str | None = None,
    **changes: Any,
) -> list[str]:
    """Apply ``changes`` and return the names of the fields that actually changed. A change of
    school is kept as a SchoolMove so the person's path through the trust is not lost."""
    unknown = set(changes) - STAFF_UPDATABLE
    if unknown:
        raise ValueError(f"Cannot update {', '.join(sorted(unknown))}.")
    before = snapshot(staff)
    changed: list[str] = []
    old_school_id = staff.school_id
    for field, value in changes.items():
        current = getattr(staff, field)
        if current != value:
            setattr(staff, field, value)
            changed.append(field)
    user_changed = []
    for field, value in (("first_name", first_name), ("last_name", last_name)):
        if value is not None and getattr(staff.user, field) != value:
            setattr(staff.user, field, value)
            user_changed.append(field)
    if user_changed:
        staff.user.save(update_fields=user_changed)
        changed += user_changed
    if not changed:
        return []
    staff.full_clean(exclude=["user"])
    staff.save()
    if "school" in changed:
        SchoolMove.objects.for_trust(staff.trust_id).create(
            trust_id=staff.trust_id,
            staff_member=staff,
            from_school_id=old_school_id,
            to_school=staff.school,
        )
    audit_record(
        trust=staff.trust_id,
        actor=actor,
        action="staff.update",
        obj=staff,
        subject=staff,
        before=before,
        after=snapshot(staff),
    )
    progress_refresh(people=[staff])
    return changed


@transaction.atomic
def role_assign(
    *, actor: Any, staff: StaffMember, role: str, school: School | None = None
) -> RoleAssignment:
    assignment, created = RoleAssignment.objects.for_trust(staff.trust_id).get_or_create(
        trust_id=staff.trust_id, staff_member=staff, role=role, school=school
    )
    if created:
        assignment.full_clean()
        audit_record(
            trust=staff.trust_id,
            actor=actor,
            action="role.assign",
            obj=assignment,
            subject=staff,
            after=snapshot(assignment),
        )
        _school_figures_follow(assignment)
    return assignment


def _school_figures_follow(assignment: RoleAssignment) -> None:
    """Who leads a school changes what it counts as awaiting a final decision (a review the
    head wrote, or of the head, passes to the designated decider): its summary follows."""
    if assignment.school_id:
        school_progress_refresh_all_cycles(
            trust_id=assignment.trust_id, school_ids=[assignment.school_id]
        )


@transaction.atomic
def role_revoke(*, actor: Any, assignment: RoleAssignment) -> None:
    before = snapshot(assignment)
    audit_record(
        trust=assignment.trust_id,
        actor=actor,
        action="role.revoke",
        obj=assignment,
        subject=assignment.staff_member,
        before=before,
    )
    assignment.delete()
    _school_figures_follow(assignment)


@transaction.atomic
def staff_invitation_accept(*, user: Any) -> None:
    """The person followed the emailed link and chose a password: the link went to their
    primary address, so that address is now verified."""
    updated = EmailAddress.objects.filter(user=user, primary=True, verified=False).update(
        verified=True
    )
    from growth.security.rls import as_user

    with as_user(user.pk):  # row-level security: their own membership, before sign-in
        staff = StaffMember.objects.unscoped().filter(user=user).first()
    if updated and staff is not None:
        audit_record(
            trust=staff.trust_id,
            actor=user,
            action="staff.invitation_accepted",
            obj=staff,
            subject=staff,
        )


@dataclass
class NewStaff:
    """One person for ``staff_members_create_bulk``. ``line_manager`` is an existing
    StaffMember, or the email of another person in the same batch."""

    email: str
    first_name: str
    last_name: str
    school: School
    job_title: str
    category: str
    career_stage: CareerStage | None = None
    line_manager: StaffMember | str | None = None
    start_date: dt.date | None = None
    pay_range: str = ""
    pay_point: int | None = None
    # Further StaffMember fields the import sets (TLR, SLT, coaching, leaving date…).
    flags: dict[str, Any] = dataclass_field(default_factory=dict)


@transaction.atomic
def staff_members_create_bulk(
    *, actor: Any, trust: Trust, people: list[NewStaff], invite: bool = True
) -> list[StaffMember]:
    """``staff_member_create`` for thousands at once (a staff import): the same rows, checks
    and audit trail in a fixed number of queries. The caller has already checked that the
    emails are free and the line managers exist (``growth.domain.staff_import`` does, in bulk)."""
    today = dt.date.today()
    users = []
    for person in people:
        email = person.email.strip().lower()
        user = User(
            email=email,
            username=email[:150],
            first_name=person.first_name,
            last_name=person.last_name,
        )
        user.set_unusable_password()
        user.clean_fields(exclude=["password"])
        users.append(user)
    User.objects.bulk_create(users, batch_size=1000)
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, primary=True, verified=False) for u in users],
        batch_size=1000,
    )
    members = []
    by_email: dict[str, StaffMember] = {}
    for person, user in zip(people, users, strict=True):
        staff = StaffMember(
            trust=trust,
            user=user,
            school=person.school,
            job_title=person.job_title,
            category=person.category,
            career_stage=person.career_stage,
            line_manager=person.line_manager
            if isinstance(person.line_manager, StaffMember)
            else None,
            start_date=person.start_date or today,
            pay_range=person.pay_range,
            pay_point=person.pay_point,
        )
        unknown = set(person.flags) - STAFF_UPDATABLE
        if unknown:
            raise ValueError(f"Cannot set {', '.join(sorted(unknown))}.")
        for name, value in person.flags.items():
            setattr(staff, name, value)
        staff.clean_fields(exclude=["trust", "user", "school", "career_stage", "line_manager"])
        staff.clean()
        members.append(staff)
        by_email[user.email] = staff
    StaffMember.objects.for_trust(trust).bulk_create(members, batch_size=1000)
    later = []
    for person, staff in zip(people, members, strict=True):
        if isinstance(person.line_manager, str) and person.line_manager:
            staff.line_manager = by_email[person.line_manager.strip().lower()]
            later.append(staff)
    if later:
        StaffMember.objects.for_trust(trust).bulk_update(later, ["line_manager"], batch_size=1000)
    actor_user = getattr(actor, "user", actor)
    audit_record_many(
        trust=trust,
        events=[
            AuditEvent(
                trust=trust,
                actor=actor_user if getattr(actor_user, "pk", None) else None,
                action="staff.create",
                object_type=StaffMember._meta.label_lower,
                object_id=str(staff.public_id),
                subject=staff,
                after=snapshot(staff),
            )
            for staff in members
        ]
        + (
            [
                AuditEvent(
                    trust=trust,
                    actor=actor_user if getattr(actor_user, "pk", None) else None,
                    action="staff.invite",
                    object_type=StaffMember._meta.label_lower,
                    object_id=str(staff.public_id),
                    subject=staff,
                )
                for staff in members
            ]
            if invite
            else []
        ),
    )
    if invite:
        ids = [staff.pk for staff in members]
        trust_id = trust.pk
        transaction.on_commit(lambda: staff_invitations_enqueue(trust_id=trust_id, staff_ids=ids))
    progress_refresh(people=members)
    return members


@transaction.atomic
def staff_invitation_resend(*, actor: StaffMember, staff: StaffMember) -> None:
    """Send a person who has not signed in yet a fresh invitation (the emailed link expires,
    like a password reset). For the trust's admins and the headteacher of their school."""
    from growth.security.access import roles_of

    roles = roles_of(actor)
    if actor.trust_id != staff.trust_id or not (
        roles.trust_admin or staff.school_id in roles.headteacher_of
    ):
        raise PermissionDenied("Only a trust admin or their headteacher can invite someone.")
    if staff.user.has_usable_password() or not staff.is_active:
        raise ValidationError(f"{staff.full_name} has already signed up or has left.")
    audit_record(
        trust=staff.trust_id,
        actor=actor,
        action="staff.invitation_resent",
        obj=staff,
        subject=staff,
    )
    trust_id, staff_id = staff.trust_id, staff.pk
    transaction.on_commit(
        lambda: staff_invitations_enqueue(trust_id=trust_id, staff_ids=[staff_id])
    )


def staff_invitations_enqueue(*, trust_id: int, staff_ids: list[int]) -> None:
    from growth.tasks import send_staff_invitation

    for staff_id in staff_ids:
        send_staff_invitation.delay(trust_id=trust_id, staff_id=staff_id)


@transaction.atomic
def trust_settings_update(*, actor: Any, trust: Trust, **changes: Any) -> list[str]:
    """Change the trust's own settings (``Trust.SETTINGS``; not its name or slug: the platform
    admin's)."""
    unknown = set(changes) - set(Trust.SETTINGS)
    if unknown:
        raise ValueError(f"Cannot update {', '.join(sorted(unknown))}.")
    changed = audited_change(
        trust,
        actor=actor,
        action="trust.settings_update",
        changes=changes,
        fields=list(Trust.SETTINGS),
    )
    if "checkin_cadence_days" in changed:
        # Every check-in date of the trust moves: so does everyone's summary.
        for cycle in GrowthCycle.objects.for_trust(trust):
            progress_refresh_cycle(cycle=cycle)
    elif changed:
        # A school figure may read the setting (who writes a plan): every school's follows.
        school_progress_refresh_all_cycles(trust_id=trust.pk)
    return changed


@dataclass
class DatedRow:
    """A term or a closure as typed on the cycle page; ``public_id`` for an existing one."""

    name: str
    start_date: dt.date
    end_date: dt.date
    public_id: Any = None


def _cycle_state(cycle: GrowthCycle) -> dict[str, Any]:
    state = snapshot(cycle)
    state["terms"] = [
        [t.name, t.start_date.isoformat(), t.end_date.isoformat()]
        for t in Term.objects.for_trust(cycle.trust_id).filter(cycle=cycle)
    ]
    state["closures"] = [
        [c.name, c.start_date.isoformat(), c.end_date.isoformat()]
        for c in Closure.objects.for_trust(cycle.trust_id).filter(cycle=cycle)
    ]
    return state


def _sync_rows(
    *, model: type[Term] | type[Closure], cycle: GrowthCycle, rows: list[DatedRow]
) -> None:
    existing = {r.public_id: r for r in model.objects.for_trust(cycle.trust_id).filter(cycle=cycle)}
    kept = set()
    for row in rows:
        obj = existing.get(row.public_id) if row.public_id else None
        if obj is None:
            obj = model(trust_id=cycle.trust_id, cycle=cycle)
        obj.name, obj.start_date, obj.end_date = row.name, row.start_date, row.end_date
        obj.full_clean(exclude=["trust", "cycle"])
        obj.save()
        kept.add(obj.public_id)
    for public_id, obj in existing.items():
        if public_id not in kept:
            obj.delete()


@transaction.atomic
def cycle_save(
    *,
    actor: Any,
    trust: Trust,
    cycle: GrowthCycle | None,
    values: dict[str, Any],
    terms: list[DatedRow],
    closures: list[DatedRow],
) -> GrowthCycle:
    """Create or change a growth cycle with its terms and closures, all checked together:
    terms and closures fall inside the cycle and terms do not overlap."""
    creating = cycle is None
    if cycle is None:
        cycle = GrowthCycle(trust=trust)
    elif cycle.trust_id != trust.pk:
        raise ValidationError("That cycle belongs to another trust.")
    before = None if creating else _cycle_state(cycle)
    for field, value in values.items():
        setattr(cycle, field, value)
    cycle.full_clean()
    errors: list[str] = []
    for kind, rows in (("Term", terms), ("Closure", closures)):
        for row in rows:
            if not (cycle.start_date <= row.start_date and row.end_date <= cycle.end_date):
                errors.append(f"{kind} {row.name!r} is not inside the cycle.")
    ordered = sorted(terms, key=lambda r: r.start_date)
    for earlier, later in itertools.pairwise(ordered):
        if later.start_date <= earlier.end_date:
            errors.append(f"Terms {earlier.name!r} and {later.name!r} overlap.")
    names = [r.name for r in terms]
    if len(set(names)) != len(names):
        errors.append("Two terms have the same name.")
    if errors:
        raise ValidationError(errors)
    cycle.save()
    _sync_rows(model=Term, cycle=cycle, rows=terms)
    _sync_rows(model=Closure, cycle=cycle, rows=closures)
    audit_record(
        trust=trust,
        actor=actor,
        action="cycle.create" if creating else "cycle.update",
        obj=cycle,
        before=before,
        after=_cycle_state(cycle),
    )
    progress_refresh_cycle(cycle=cycle)
    return cycle


@transaction.atomic
def priority_save(
    *, actor: Any, trust: Trust, priority: TrustPriority | None, values: dict[str, Any]
) -> TrustPriority:
    creating = priority is None
    priority = priority or TrustPriority(trust=trust)
    if priority.trust_id != trust.pk:
        raise ValidationError("That priority belongs to another trust.")
    audited_change(
        priority,
        actor=actor,
        action="priority.create" if creating else "priority.update",
        changes=values,
        always=True,
    )
    return priority


@transaction.atomic
def goal_save(
    *, actor: Any, trust: Trust, goal: StrategicGoal | None, values: dict[str, Any]
) -> StrategicGoal:
    """Create or change a strategic goal; its priority, school and cycle must be the trust's."""
    creating = goal is None
    goal = goal or StrategicGoal(trust=trust)
    if goal.trust_id != trust.pk:
        raise ValidationError("That goal belongs to another trust.")

    def check(goal: StrategicGoal) -> None:
        for field in ("priority", "school", "cycle"):
            related = getattr(goal, field)
            if related is not None and related.trust_id != trust.pk:
                raise ValidationError({field: "That belongs to another trust."})
        goal.full_clean()

    audited_change(
        goal,
        actor=actor,
        action="goal.create" if creating else "goal.update",
        changes=values,
        validate=check,
        always=True,
    )
    return goal


# Rows per UPDATE of a bulk write (``QuerySet.bulk_update`` writes one CASE per field with a
# branch per row, so a batch is kept to a size the database matches quickly).
BULK_BATCH = 500


@dataclass
class StaffChange:
    """One person's changes for ``staff_members_update_bulk``."""

    staff: StaffMember
    changes: dict[str, Any]
    first_name: str | None = None
    last_name: str | None = None


@transaction.atomic
def staff_members_update_bulk(*, actor: Any, trust: Trust, updates: list[StaffChange]) -> int:
    """``staff_member_update`` for thousands at once (a staff import): the same fields, checks,
    school-move history and audit trail, in a fixed number of queries. Returns how many people
    changed."""
    moves: list[SchoolMove] = []
    events: list[AuditEvent] = []
    staff_rows: list[StaffMember] = []
    staff_fields: set[str] = set()
    user_rows: list[Any] = []
    user_fields: set[str] = set()
    actor_user = getattr(actor, "user", actor)
    for update in updates:
        staff = update.staff
        if staff.trust_id != trust.pk:
            raise ValidationError("That person belongs to another trust.")
        unknown = set(update.changes) - STAFF_UPDATABLE
        if unknown:
            raise ValueError(f"Cannot update {', '.join(sorted(unknown))}.")
        before = snapshot(staff)
        old_school_id = staff.school_id
        changed = [f for f, v in update.changes.items() if getattr(staff, f) != v]
        for field in changed:
            setattr(staff, field, update.changes[field])
        names = [
            (f, v)
            for f, v in (("first_name", update.first_name), ("last_name", update.last_name))
            if v is not None and getattr(staff.user, f) != v
        ]
        for field, value in names:
            setattr(staff.user, field, value)
        if names:
            user_rows.append(staff.user)
            user_fields.update(f for f, _ in names)
        if not changed and not names:
            continue
        if changed:
            staff.clean_fields(exclude=["trust", "user", "school", "career_stage", "line_manager"])
            staff.clean()
            for field in ("school", "line_manager"):
                related = getattr(staff, field)
                if related is not None and related.trust_id != trust.pk:
                    raise ValidationError({field: "That belongs to another trust."})
            staff_rows.append(staff)
            staff_fields.update(changed)
        if "school" in changed:
            moves.append(
                SchoolMove(
                    trust=trust,
                    staff_member=staff,
                    from_school_id=old_school_id,
                    to_school=staff.school,
                )
            )
        events.append(
            AuditEvent(
                trust=trust,
                actor=actor_user if getattr(actor_user, "pk", None) else None,
                action="staff.update",
                object_type=StaffMember._meta.label_lower,
                object_id=str(staff.public_id),
                subject=staff,
                before=before,
                after=snapshot(staff),
            )
        )
    if user_rows:
        User.objects.bulk_update(user_rows, sorted(user_fields), batch_size=BULK_BATCH)
    if staff_rows:
        now = timezone.now()
        for staff in staff_rows:
            staff.updated_at = now
        StaffMember.objects.for_trust(trust).bulk_update(
            staff_rows, sorted(staff_fields | {"updated_at"}), batch_size=BULK_BATCH
        )
    SchoolMove.objects.for_trust(trust).bulk_create(moves, batch_size=1000)
    audit_record_many(trust=trust, events=events)
    progress_refresh(people=staff_rows)
    return len(events)


@transaction.atomic
def leader_review_arrange(
    *,
    actor: Any,
    leader: StaffMember,
    reviewer: StaffMember | None,
    adviser: StaffMember | None,
) -> LeaderReviewArrangement:
    """Name who reviews a headteacher or manager (None: their line manager) and who may read
    and comment as their adviser."""
    arrangement = (
        LeaderReviewArrangement.objects.for_trust(leader.trust_id)
        .filter(staff_member=leader)
        .first()
    ) or LeaderReviewArrangement(trust_id=leader.trust_id, staff_member=leader)
    before = snapshot(arrangement) if arrangement.pk else None
    arrangement.reviewer = reviewer
    arrangement.adviser = adviser
    arrangement.full_clean()
    arrangement.save()
    audit_record(
        trust=leader.trust_id,
        actor=actor,
        action="leader_review.arrange",
        obj=arrangement,
        subject=leader,
        before=before,
        after=snapshot(arrangement),
    )
    return arrangement


# --- People and roles, managed in the app by the trust admin ---------------------------------

PERSON_FLAGS = (
    "asked_for_leadership_goal",
    "holds_tlr",
    "is_senior_leader",
    "is_coaching_facilitator",
    "coaching_qualified",
)


def _require_people_admin(actor: StaffMember, staff: StaffMember) -> None:
    """Trust admins manage everyone in their trust; a headteacher the people of their school
    (never their own roles)."""
    from growth.security.access import roles_of

    if actor.trust_id != staff.trust_id:
        raise PermissionDenied("That person belongs to another trust.")
    roles = roles_of(actor)
    if roles.trust_admin:
        return
    if staff.school_id in roles.headteacher_of and staff.pk != actor.pk:
        return
    raise PermissionDenied("Only the trust admin, or the person's headteacher, changes this.")


@transaction.atomic
def person_role_give(
    *, actor: StaffMember, staff: StaffMember, role: str, school: School | None = None
) -> RoleAssignment:
    """Make someone a headteacher/manager of a school (or acting for one, or the trust's
    designated decider) or a trust admin. Only a trust admin gives roles."""
    from growth.security.access import roles_of

    if actor.trust_id != staff.trust_id or not roles_of(actor).trust_admin:
        raise PermissionDenied("Only a trust admin gives roles.")
    if role not in RoleAssignment.Role.values:
        raise ValidationError({"role": "Choose a role."})
    with_school = role in (RoleAssignment.Role.HEADTEACHER, RoleAssignment.Role.ACTING_HEADTEACHER)
    if with_school and school is None:
        raise ValidationError({"school": "Choose the school or team they will lead."})
    if not with_school:
        school = None
    if school is not None and school.trust_id != staff.trust_id:
        raise ValidationError({"school": "That school belongs to another trust."})
    if not staff.is_active:
        raise ValidationError({"role": f"{staff.full_name} has left the trust."})
    held = RoleAssignment.objects.for_trust(staff.trust_id).filter(
        staff_member=staff, role=role, school=school
    )
    if held.exists():
        where = f" of {school.name}" if school else ""
        label = RoleAssignment.Role(role).label
        raise ValidationError({"role": f"{staff.full_name} is already {label}{where}."})
    return role_assign(actor=actor, staff=staff, role=role, school=school)


@transaction.atomic
def person_role_end(*, actor: StaffMember, assignment: RoleAssignment) -> None:
    """End a role. The trust always keeps one trust admin."""
    from growth.security.access import roles_of

    if actor.trust_id != assignment.trust_id or not roles_of(actor).trust_admin:
        raise PermissionDenied("Only a trust admin ends roles.")
    if assignment.role == RoleAssignment.Role.TRUST_ADMIN:
        admins = (
            RoleAssignment.objects.for_trust(assignment.trust_id)
            .select_for_update()
            .filter(role=RoleAssignment.Role.TRUST_ADMIN, staff_member__is_active=True)
        )
        if not admins.exclude(pk=assignment.pk).exists():
            raise ValidationError(
                {
                    "role": f"{assignment.staff_member.full_name} is the trust's only trust "
                    "admin: make someone else a trust admin before ending this role."
                }
            )
    role_revoke(actor=actor, assignment=assignment)


def _manages_through(manager: StaffMember, staff: StaffMember) -> bool:
    """Whether ``staff`` is above ``manager`` in the chain of line managers (a loop)."""
    seen: set[int] = set()
    current: StaffMember | None = manager
    while current is not None and current.pk not in seen:
        if current.pk == staff.pk:
            return True
        seen.add(current.pk)
        current = current.line_manager
    return False


@transaction.atomic
def person_details_set(
    *,
    actor: StaffMember,
    staff: StaffMember,
    line_manager: StaffMember | None,
    leave_date: dt.date | None,
    **flags: bool,
) -> list[str]:
    """Change a person's line manager, leave date and the flags that change what they write
    (leadership goal, TLR, senior leader, coaching). Returns what changed (audited)."""
    _require_people_admin(actor, staff)
    unknown = set(flags) - set(PERSON_FLAGS)
    if unknown:
        raise ValueError(f"Not a flag: {', '.join(sorted(unknown))}.")
    if line_manager is not None:
        if line_manager.trust_id != staff.trust_id:
            raise ValidationError({"line_manager": "Choose someone in the trust."})
        if line_manager.pk == staff.pk:
            raise ValidationError({"line_manager": "Nobody can line-manage themselves."})
        if not line_manager.is_active:
            raise ValidationError({"line_manager": f"{line_manager.full_name} has left."})
        if _manages_through(line_manager, staff):
            raise ValidationError(
                {
                    "line_manager": f"{line_manager.full_name} reports to {staff.full_name} "
                    "(directly or through others): that would make a loop."
                }
            )
    try:
        return staff_member_update(
            actor=actor, staff=staff, line_manager=line_manager, leave_date=leave_date, **flags
        )
    except ValidationError:
        staff.refresh_from_db()
        raise
