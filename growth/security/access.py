"""Access helpers. Rule of the house: "not yours" and "not there" are the same 404; 403 is only
for "yours, but not your role". Every view fetches objects through these helpers."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest

from growth.models import RoleAssignment, StaffMember

M = TypeVar("M", bound=models.Model)


class Relation(enum.Enum):
    SELF = "self"
    LINE_MANAGER = "line_manager"
    HEADTEACHER = "headteacher"
    TRUST_ADMIN = "trust_admin"
    # Named by the trust for a headteacher's growth year (growth.LeaderReviewArrangement).
    NAMED_REVIEWER = "named_reviewer"
    ADVISER = "adviser"
    # Relations to one review rather than to a person (reviews.views): who wrote it, and
    # who may make its final decision.
    REVIEWER = "reviewer"
    DECIDER = "decider"


@dataclass(frozen=True)
class Roles:
    # School ids the person leads: as headteacher/manager, or as a deputy acting for one.
    headteacher_of: frozenset[int] = field(default_factory=frozenset)
    trust_admin: bool = False
    acting_for: frozenset[int] = field(default_factory=frozenset)  # school ids, as deputy
    designated_decider: bool = False

    @property
    def is_leader(self) -> bool:
        return self.trust_admin or bool(self.headteacher_of)


def roles_of(staff: StaffMember) -> Roles:
    """The leadership roles of a person, cached on the instance for the request."""
    cached = getattr(staff, "_roles_cache", None)
    if cached is not None:
        return cached
    rows = list(
        RoleAssignment.objects.for_trust(staff.trust_id)
        .filter(staff_member=staff)
        .only("role", "school")
    )
    leading = (RoleAssignment.Role.HEADTEACHER, RoleAssignment.Role.ACTING_HEADTEACHER)
    roles = Roles(
        headteacher_of=frozenset(r.school_id for r in rows if r.role in leading and r.school_id),
        trust_admin=any(r.role == RoleAssignment.Role.TRUST_ADMIN for r in rows),
        acting_for=frozenset(
            r.school_id
            for r in rows
            if r.role == RoleAssignment.Role.ACTING_HEADTEACHER and r.school_id
        ),
        designated_decider=any(r.role == RoleAssignment.Role.DESIGNATED_DECIDER for r in rows),
    )
    staff._roles_cache = roles  # type: ignore[attr-defined]
    return roles


def manages_anyone(staff: StaffMember) -> bool:
    """Whether ``staff`` line-manages anyone still in post; cached on the instance for the
    request (every panel and menu entry asks)."""
    cached = getattr(staff, "_manages_cache", None)
    if cached is None:
        cached = (
            StaffMember.objects.for_trust(staff.trust_id)
            .filter(line_manager=staff, is_active=True)
            .exists()
        )
        staff._manages_cache = cached  # type: ignore[attr-defined]
    return cached


def manages_anyone_is(staff: StaffMember, value: bool) -> None:
    """Tell ``manages_anyone`` the answer, for a caller that has just read ``staff``'s team."""
    staff._manages_cache = value  # type: ignore[attr-defined]


@dataclass(frozen=True)
class DutyView:
    """What separation of duties changes in how one viewer stands to others: the leaders of
    the viewer's own schools (whose growth year that school's staff never see) and the
    leaders the trust named the viewer to review or advise."""

    school_leaders: frozenset[int] = field(default_factory=frozenset)  # staff ids
    reviews: frozenset[int] = field(default_factory=frozenset)  # staff ids
    advises: frozenset[int] = field(default_factory=frozenset)  # staff ids


def duty_view(viewer: StaffMember) -> DutyView:
    """``DutyView`` of ``viewer``, read once per request (cached on the instance) and only
    when a relation depends on it."""
    cached = getattr(viewer, "_duty_view_cache", None)
    if cached is not None:
        return cached
    from growth.models import LeaderReviewArrangement

    schools = roles_of(viewer).headteacher_of
    leaders = (
        RoleAssignment.objects.for_trust(viewer.trust_id)
        .filter(
            role=RoleAssignment.Role.HEADTEACHER,
            school_id__in=schools,
            staff_member__school_id=models.F("school_id"),
        )
        .values_list("staff_member_id", flat=True)
        if schools
        else []
    )
    named = (
        LeaderReviewArrangement.objects.for_trust(viewer.trust_id)
        .filter(models.Q(reviewer=viewer) | models.Q(adviser=viewer))
        .values_list("staff_member_id", "reviewer_id", "adviser_id")
    )
    named_rows = list(named)
    view = DutyView(
        school_leaders=frozenset(leaders),
        reviews=frozenset(s for s, r, _ in named_rows if r == viewer.pk),
        advises=frozenset(s for s, _, a in named_rows if a == viewer.pk),
    )
    viewer._duty_view_cache = view  # type: ignore[attr-defined]
    return view


def relations(viewer: StaffMember, subject: StaffMember) -> set[Relation]:
    """How ``viewer`` stands to ``subject``'s records. Empty across trusts, always.

    Nobody is their own headteacher, and a headteacher's own growth year is not their school's
    business: the leader of a school has no HEADTEACHER relation to themselves, and neither
    they nor a deputy acting for them has one to the school's headteacher."""
    if viewer.trust_id != subject.trust_id:
        return set()
    found: set[Relation] = set()
    if viewer.pk == subject.pk:
        found.add(Relation.SELF)
    if subject.line_manager_id == viewer.pk:
        found.add(Relation.LINE_MANAGER)
    roles = roles_of(viewer)
    if (
        subject.school_id in roles.headteacher_of
        and viewer.pk != subject.pk
        and subject.pk not in duty_view(viewer).school_leaders
    ):
        found.add(Relation.HEADTEACHER)
    if roles.trust_admin:
        found.add(Relation.TRUST_ADMIN)
    if not found & {Relation.SELF, Relation.LINE_MANAGER}:
        named = duty_view(viewer)
        if subject.pk in named.reviews:
            # The trust's named reviewer stands where the line manager usually does.
            found |= {Relation.NAMED_REVIEWER, Relation.LINE_MANAGER}
        if subject.pk in named.advises:
            found.add(Relation.ADVISER)
    return found


def can_view_person(viewer: StaffMember, subject: StaffMember) -> bool:
    return bool(relations(viewer, subject))


def visible_staff(viewer: StaffMember) -> models.QuerySet[StaffMember]:
    """Everyone whose records ``viewer`` may read: self, direct reports, their school(s) if
    headteacher, the whole trust if trust admin."""
    qs = StaffMember.objects.for_trust(viewer.trust_id)
    roles = roles_of(viewer)
    if roles.trust_admin:
        return qs
    condition = models.Q(pk=viewer.pk) | models.Q(line_manager=viewer.pk)
    if roles.headteacher_of:
        condition |= models.Q(school__in=roles.headteacher_of)
    return qs.filter(condition)


def require_staff(request: HttpRequest) -> StaffMember:
    """The signed-in person's membership of a trust; 404 for anyone without one (e.g. a
    platform admin browsing a trust page)."""
    staff = getattr(request, "staff", None)
    if staff is None:
        raise Http404("No such page.")
    return staff


def parse_public_id(value: Any) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (ValueError, TypeError, AttributeError) as exc:
        raise Http404("No such page.") from exc


def get_in_trust_or_404(
    queryset: models.QuerySet[M] | type[M], *, request: HttpRequest, public_id: Any
) -> M:
    """Fetch one trust-owned row by its public id within the viewer's trust, or 404."""
    staff = require_staff(request)
    wanted = parse_public_id(public_id)
    if isinstance(queryset, type):
        queryset = queryset._default_manager.all()
    obj = queryset.filter(trust_id=staff.trust_id, public_id=wanted).first()
    if obj is None:
        raise Http404("No such page.")
    return obj


def access_staff_member(
    request: HttpRequest, public_id: Any, *, allow: set[Relation] | None = None
) -> StaffMember:
    """A person the viewer may see. 404 when the viewer has no relation to them at all (another
    trust, or a colleague who is not theirs); 403 when related but not in ``allow``."""
    viewer = require_staff(request)
    subject = get_in_trust_or_404(
        StaffMember.objects.select_related("user", "school", "career_stage", "line_manager__user"),
        request=request,
        public_id=public_id,
    )
    found = relations(viewer, subject)
    if not found:
        raise Http404("No such page.")
    if allow is not None and not (found & allow):
        raise PermissionDenied("Your role does not allow this.")
    return subject


def access_subject_object(
    request: HttpRequest,
    queryset: models.QuerySet[M] | type[M],
    public_id: Any,
    *,
    subject_attr: str = "staff_member",
    allow: set[Relation] | None = None,
) -> tuple[M, set[Relation]]:
    """Fetch a record that belongs to a person (plan, check-in, review…) and check the viewer's
    relation to that person. Returns the object and the relations, for role-specific views."""
    viewer = require_staff(request)
    obj = get_in_trust_or_404(queryset, request=request, public_id=public_id)
    subject: StaffMember = getattr(obj, subject_attr)
    found = relations(viewer, subject)
    if not found:
        raise Http404("No such page.")
    if allow is not None and not (found & allow):
        raise PermissionDenied("Your role does not allow this.")
    return obj, found


def require_role(
    request: HttpRequest, *, trust_admin: bool = False, headteacher: bool = False
) -> StaffMember:
    """For role pages (reports, settings): 403 for a member of the trust without the role."""
    staff = require_staff(request)
    roles = roles_of(staff)
    if (trust_admin and roles.trust_admin) or (headteacher and roles.headteacher_of):
        return staff
    raise PermissionDenied("Your role does not allow this.")
