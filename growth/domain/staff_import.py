"""Staff import from a CSV file: validate every row first, then apply all of it or nothing.

The same file imported twice changes nothing; a changed row updates the person (a school move
is kept as a SchoolMove); a new row creates the person and sends them an invitation on commit.
The writes go through the bulk forms of ``staff_member_update`` / ``staff_member_create`` in
``growth.domain.services`` (same checks and audit trail), so validation and writing each take a
fixed handful of queries whatever the number of rows: 5,000 people in seconds, not minutes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from growth.domain.services import (
    NewStaff,
    StaffChange,
    staff_members_create_bulk,
    staff_members_update_bulk,
)
from growth.models import (
    PAY_LETTERS,
    CareerStage,
    PayRange,
    School,
    StaffMember,
    Trust,
    pay_position_problem,
)
from growth.reporting.reports import Cell, Column, ReportTable

User = get_user_model()

# Column → accepted header spellings, compared lower-case with everything but letters and
# digits removed ("Line manager e-mail" → "linemanageremail").
COLUMNS: dict[str, tuple[str, ...]] = {
    "first_name": ("firstname", "forename", "givenname", "first"),
    "last_name": ("lastname", "surname", "familyname", "last"),
    "email": ("email", "emailaddress", "workemail", "workemailaddress"),
    "school": ("school", "schoolname", "schoolorunit", "schoolorteam", "unit", "site"),
    "job_title": ("jobtitle", "title", "role", "position", "job"),
    "category": ("category", "staffcategory", "stafftype", "type"),
    "career_stage": ("careerstage", "stage"),
    "line_manager": (
        "linemanageremail",
        "linemanager",
        "manageremail",
        "manager",
        "linemanageremailaddress",
    ),
    "start_date": ("startdate", "start", "datestarted", "started", "employmentstartdate"),
    "pay_range": ("payrange", "payscale", "range"),
    "pay_point": ("paypoint", "point", "spinepoint", "payspinepoint"),
    # The flags that change what a person writes, and their leaving date: like the pay
    # columns, applied only when the file has the column (else left as they are).
    "holds_tlr": ("tlr", "holdstlr", "holdsatlr"),
    "is_senior_leader": ("slt", "seniorleader", "seniorleadershipteam"),
    "is_coaching_facilitator": ("coachingfacilitator", "trainedcoachingfacilitator"),
    "coaching_qualified": ("coachingqualified", "coachingqualification"),
    "asked_for_leadership_goal": ("leadershipgoal", "askedforleadershipgoal"),
    "leave_date": ("leavingdate", "leavedate", "leaverdate", "dateleaving"),
}
# The yes-or-no columns among them.
FLAGS = (
    "holds_tlr",
    "is_senior_leader",
    "is_coaching_facilitator",
    "coaching_qualified",
    "asked_for_leadership_goal",
)
YES = {"yes", "y", "true", "1", "x"}
NO = {"no", "n", "false", "0", ""}
REQUIRED = ("first_name", "last_name", "email", "school", "job_title", "category")
LABELS = {
    "first_name": "First name",
    "last_name": "Last name",
    "email": "Email",
    "school": "School",
    "job_title": "Job title",
    "category": "Category",
    "career_stage": "Career stage",
    "line_manager": "Line manager",
    "start_date": "Start date",
    "pay_range": "Pay range",
    "pay_point": "Pay point",
    "holds_tlr": "TLR",
    "is_senior_leader": "Senior leader (SLT)",
    "is_coaching_facilitator": "Coaching facilitator",
    "coaching_qualified": "Coaching qualified",
    "asked_for_leadership_goal": "Leadership goal",
    "leave_date": "Leaving date",
    "is_active": "Active",
}
CATEGORY_SPELLINGS = {
    "teaching": StaffMember.Category.TEACHING,
    "teacher": StaffMember.Category.TEACHING,
    "teachingstaff": StaffMember.Category.TEACHING,
    "support": StaffMember.Category.SUPPORT,
    "supportstaff": StaffMember.Category.SUPPORT,
    "central": StaffMember.Category.CENTRAL,
    "centralservices": StaffMember.Category.CENTRAL,
    "centralteam": StaffMember.Category.CENTRAL,
}
MAX_LENGTHS = {
    "first_name": 150,
    "last_name": 150,
    "email": 254,
    "school": 200,
    "job_title": 200,
    "category": 60,
    "career_stage": 100,
    "line_manager": 254,
    "start_date": 20,
    "pay_range": 60,
    "pay_point": 10,
    **dict.fromkeys(FLAGS, 10),
    "leave_date": 20,
}
PAY_RANGE_SPELLINGS = {
    "": PayRange.NONE,
    "none": PayRange.NONE,
    "notonateachersrange": PayRange.NONE,
    "main": PayRange.MAIN,
    "mainpayrange": PayRange.MAIN,
    "mpr": PayRange.MAIN,
    "m": PayRange.MAIN,
    "upper": PayRange.UPPER,
    "upperpayrange": PayRange.UPPER,
    "upperpayscale": PayRange.UPPER,
    "upr": PayRange.UPPER,
    "ups": PayRange.UPPER,
    "u": PayRange.UPPER,
    "leadingpractitioner": PayRange.LEADING_PRACTITIONER,
    "leadingpractitionerrange": PayRange.LEADING_PRACTITIONER,
    "lp": PayRange.LEADING_PRACTITIONER,
    "l": PayRange.LEADING_PRACTITIONER,
}


def parse_pay(range_text: str, point_text: str) -> tuple[str, int | None, list[str]]:
    """A pay range and point from the file ("Main", "3" or "M3"), with any problems."""
    pay_range = PAY_RANGE_SPELLINGS.get(_squash(range_text))
    if pay_range is None:
        return (
            "",
            None,
            [
                f"Unknown pay range {range_text!r}: use Main, Upper, Leading practitioner, or "
                "leave it empty for someone not on a teachers' range."
            ],
        )
    point_text = point_text.strip()
    letter = PAY_LETTERS.get(PayRange(pay_range), "")
    if letter and point_text[:1].upper() == letter:
        point_text = point_text[1:]
    if not point_text:
        point = None
    elif point_text.isdigit():
        point = int(point_text)
    else:
        return pay_range, None, [f"Pay point {point_text!r} is not a number, e.g. 3 or M3."]
    return pay_range, point, []


# Python's csv module refuses a field over this many characters (its field_size_limit, which
# is process-wide and left alone); no column here comes near it.
CSV_FIELD_LIMIT = csv.field_size_limit()


def unusable_email(email: str) -> str:
    """One message for every address the import cannot use, whatever the reason: saying that
    an address belongs to an account elsewhere would tell a trust admin that the person exists
    in another trust."""
    return f"Email {email!r} cannot be used here: check it is the person's own work address."


def _squash(value: str) -> str:
    return re.sub(r"[^a-z0-9]", "", value.lower())


def parse_flags(
    record: dict[str, str], start_date: dt.date | None
) -> tuple[dict[str, Any], list[str]]:
    """The flags and leaving date of one line, for the columns the file has, and what is
    wrong with them."""
    flags: dict[str, Any] = {}
    problems: list[str] = []
    for column in FLAGS:
        if column not in record:
            continue
        text = record[column]
        if text.lower() in YES:
            flags[column] = True
        elif text.lower() in NO:
            flags[column] = False
        else:
            problems.append(f"{LABELS[column]} {text!r} is not yes or no.")
    if "leave_date" in record:
        text = record["leave_date"]
        leave = parse_date(text) if text else None
        if text and leave is None:
            problems.append(f"Leaving date {text!r} is not a date: use YYYY-MM-DD or DD/MM/YYYY.")
        elif leave and start_date and leave < start_date:
            problems.append("Leaving date is before the start date.")
        else:
            flags["leave_date"] = leave
    return flags, problems


def parse_date(value: str) -> dt.date | None:
    """YYYY-MM-DD or DD/MM/YYYY (UK order); None when it is neither."""
    value = value.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


@dataclass(frozen=True)
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"Line {self.line}: {self.message}"


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str


@dataclass
class ImportRow:
    """One person as the file describes them, resolved against the trust."""

    line: int
    email: str
    first_name: str
    last_name: str
    school: School
    job_title: str
    category: str
    career_stage: CareerStage | None
    line_manager_email: str
    start_date: dt.date | None
    existing: StaffMember | None = None
    # The pay range and point, when the file has those columns (else left as they are).
    pay: tuple[str, int | None] | None = None
    # The flags and leaving date the file has columns for (else left as they are).
    flags: dict[str, Any] = field(default_factory=dict)
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass
class ImportResult:
    rows: int = 0
    created: list[ImportRow] = field(default_factory=list)
    updated: list[ImportRow] = field(default_factory=list)
    unchanged: list[ImportRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changes_anything(self) -> bool:
        return bool(self.created or self.updated)

    @property
    def summary(self) -> str:
        if self.errors:
            lines = len({e.line for e in self.errors})
            return (
                f"Nothing was imported: {lines} line{'s' if lines != 1 else ''} "
                "of the file need correcting."
            )
        if not self.changes_anything:
            return f"Nothing to change: all {self.rows} people already match the file."
        verb = "" if self.applied else "will be "
        return (
            f"{len(self.created)} {verb}created, {len(self.updated)} {verb}updated, "
            f"{len(self.unchanged)} unchanged."
        )


class _Rejected(Exception):
    """The file cannot be read at all (no header, missing columns)."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors


def _read(csv_text: str) -> list[tuple[int, dict[str, str]]]:
    text = csv_text.lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text))
    header: list[str] | None = None
    try:
        for raw in reader:
            if any(cell.strip() for cell in raw):
                header = raw
                break
    except csv.Error as error:
        raise _Rejected([_unreadable(reader.line_num, error)]) from error
    if header is None:
        raise _Rejected([RowError(1, "The file is empty: it needs a header row and people.")])
    header_line = reader.line_num
    spellings = {alias: column for column, aliases in COLUMNS.items() for alias in aliases}
    positions: dict[str, int] = {}
    for index, name in enumerate(header):
        column = spellings.get(_squash(name))
        if column and column not in positions:
            positions[column] = index
    missing = [LABELS[c] for c in REQUIRED if c not in positions]
    if missing:
        raise _Rejected(
            [
                RowError(
                    header_line,
                    f"The header row has no {', '.join(missing)} column. Expected columns: "
                    + ", ".join(LABELS[c] for c in COLUMNS)
                    + ".",
                )
            ]
        )
    records = []
    try:
        for raw in reader:
            if not any(cell.strip() for cell in raw):
                continue
            record = {
                column: (raw[index].strip() if index < len(raw) else "")
                for column, index in positions.items()
            }
            records.append((reader.line_num, record))
    except csv.Error as error:
        raise _Rejected([_unreadable(reader.line_num, error)]) from error
    return records


def _unreadable(line: int, error: csv.Error) -> RowError:
    if "field larger than field limit" in str(error):
        return RowError(
            line,
            f"A field is longer than {CSV_FIELD_LIMIT:,} characters; no column needs more "
            "than a few hundred. Check the file was saved as CSV with one person a line.",
        )
    return RowError(line, f"The file cannot be read as CSV here ({error}).")


def _stage_lookup() -> dict[str, CareerStage]:
    lookup: dict[str, CareerStage] = {}
    for stage in CareerStage.objects.all():
        lookup[_squash(stage.code)] = stage
        lookup[_squash(stage.name)] = stage
    return lookup


def _cycles(manager_of: dict[str, str], starts: list[str]) -> dict[str, list[str]]:
    """For every start node that sits on a loop of line managers, the loop itself."""
    on_loop: dict[str, list[str]] = {}
    done: set[str] = set()
    for start in starts:
        path: list[str] = []
        index: dict[str, int] = {}
        node: str | None = start
        while node and node not in done and node not in index:
            index[node] = len(path)
            path.append(node)
            node = manager_of.get(node) or None
        if node and node in index:
            loop = path[index[node] :]
            for member in loop:
                on_loop[member] = loop
        done.update(path)
    return on_loop


def _display(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, dt.date):
        return value.strftime("%-d %b %Y")
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def staff_import_plan(*, trust: Trust, csv_text: str) -> ImportResult:
    """Read and validate the file against ``trust`` without writing anything."""
    result = ImportResult()
    try:
        records = _read(csv_text)
    except _Rejected as rejected:
        result.errors = rejected.errors
        return result
    result.rows = len(records)
    if not records:
        result.errors.append(RowError(1, "The file has a header row but nobody in it."))
        return result

    schools = {_squash(s.name): s for s in School.objects.for_trust(trust)}
    stages = _stage_lookup()
    members = {
        s.user.email.lower(): s
        for s in StaffMember.objects.for_trust(trust).select_related(
            "user", "school", "career_stage", "line_manager__user"
        )
    }
    file_emails = {r["email"].strip().lower() for _, r in records if r.get("email")}
    outsiders = set(
        User.objects.filter(email__in=[e for e in file_emails if e not in members])
        .values_list("email", flat=True)
        .iterator()
    )
    outsiders = {e.lower() for e in outsiders}

    rows: list[ImportRow] = []
    first_line_of: dict[str, int] = {}
    errors: list[RowError] = []
    for line, record in records:
        problems: list[str] = []
        for column in REQUIRED:
            if not record.get(column):
                problems.append(f"{LABELS[column]} is missing.")
        for column, limit in MAX_LENGTHS.items():
            if len(record.get(column, "")) > limit:
                problems.append(f"{LABELS[column]} is longer than {limit} characters.")
                record[column] = ""  # said once; not looked up or echoed by the checks below
        email = record.get("email", "").lower()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                problems.append(unusable_email(email))
                email = ""
        if email:
            if email in first_line_of:
                problems.append(
                    f"Email {email} appears twice in the file (first on line "
                    f"{first_line_of[email]})."
                )
            else:
                first_line_of[email] = line
            if email in outsiders:
                problems.append(unusable_email(email))
        school = schools.get(_squash(record.get("school", "")))
        if record.get("school") and school is None:
            known = ", ".join(sorted(s.name for s in schools.values()))
            problems.append(f"Unknown school {record['school']!r} (this trust has: {known}).")
        category = CATEGORY_SPELLINGS.get(_squash(record.get("category", "")))
        if record.get("category") and category is None:
            problems.append(
                f"Unknown category {record['category']!r}: use Teaching, Support or "
                "Central services."
            )
        stage: CareerStage | None = None
        stage_text = record.get("career_stage", "")
        if stage_text:
            stage = stages.get(_squash(stage_text))
            if stage is None:
                names = ", ".join(sorted({s.name for s in stages.values()}, key=str))
                problems.append(f"Unknown career stage {stage_text!r} (use one of: {names}).")
        if category == StaffMember.Category.TEACHING and not stage_text:
            problems.append("Career stage is missing: teaching staff need one.")
        if category and category != StaffMember.Category.TEACHING and stage_text:
            problems.append("Only teaching staff have a career stage; leave it empty.")
        start_date = None
        if record.get("start_date"):
            start_date = parse_date(record["start_date"])
            if start_date is None:
                problems.append(
                    f"Start date {record['start_date']!r} is not a date: use YYYY-MM-DD "
                    "or DD/MM/YYYY."
                )
        pay: tuple[str, int | None] | None = None
        if "pay_range" in record or "pay_point" in record:
            pay_range, pay_point, pay_problems = parse_pay(
                record.get("pay_range", ""), record.get("pay_point", "")
            )
            if not pay_problems and category:
                found = pay_position_problem(category, pay_range, pay_point)
                pay_problems = list(found.values())
            problems += pay_problems
            pay = (pay_range, pay_point)
        flags, flag_problems = parse_flags(record, start_date)
        problems += flag_problems
        manager_email = record.get("line_manager", "").lower()
        if manager_email and manager_email == email:
            problems.append("A person cannot be their own line manager.")
            manager_email = ""
        if problems:
            errors += [RowError(line, p) for p in problems]
            continue
        assert school is not None and category is not None and email
        rows.append(
            ImportRow(
                line=line,
                email=email,
                first_name=record["first_name"],
                last_name=record["last_name"],
                school=school,
                job_title=record["job_title"],
                category=category,
                career_stage=stage,
                line_manager_email=manager_email,
                start_date=start_date,
                existing=members.get(email),
                pay=pay,
                flags=flags,
            )
        )

    # Line managers: someone in the file or already in the trust, and no loops.
    in_file = {row.email for row in rows} | set(first_line_of)
    for row in rows:
        email = row.line_manager_email
        if email and email not in in_file and email not in members:
            errors.append(
                RowError(
                    row.line,
                    f"Line manager {email} was not found in the file or in the trust.",
                )
            )
    manager_of = {
        email: (s.line_manager.email.lower() if s.line_manager else "")
        for email, s in members.items()
    }
    manager_of.update({row.email: row.line_manager_email for row in rows})
    loops = _cycles(manager_of, [row.email for row in rows])
    for row in rows:
        if row.email in loops:
            loop = loops[row.email]
            chain = " → ".join([*loop, loop[0]])
            errors.append(
                RowError(row.line, f"The line-manager chain goes round in a loop: {chain}.")
            )

    result.errors = sorted(errors, key=lambda e: e.line)
    if result.errors:
        return result

    for row in rows:
        if row.existing is None:
            result.created.append(row)
            continue
        row.changes = _changes(row)
        (result.updated if row.changes else result.unchanged).append(row)
    return result


def _wanted(row: ImportRow) -> dict[str, Any]:
    """The StaffMember field values the row asks for (line manager by email for now)."""
    wanted: dict[str, Any] = {
        "school": row.school,
        "job_title": row.job_title,
        "category": row.category,
        "career_stage": row.career_stage,
    }
    if row.start_date is not None:
        wanted["start_date"] = row.start_date
    if row.pay is not None:
        wanted["pay_range"], wanted["pay_point"] = row.pay
    wanted.update(row.flags)
    return wanted


def _changes(row: ImportRow) -> list[FieldChange]:
    staff = row.existing
    assert staff is not None
    changes: list[FieldChange] = []
    for name in ("first_name", "last_name"):
        before, after = getattr(staff.user, name), getattr(row, name)
        if before != after:
            changes.append(FieldChange(LABELS[name], before, after))
    for name, after in _wanted(row).items():
        before = getattr(staff, name)
        if before != after:
            shown_before, shown_after = before, after
            if name == "category":
                shown_before = StaffMember.Category(before).label
                shown_after = StaffMember.Category(after).label
            elif name == "pay_range":
                shown_before, shown_after = PayRange(before).label, PayRange(after).label
            changes.append(FieldChange(LABELS[name], _display(shown_before), _display(shown_after)))
    current_manager = staff.line_manager.email.lower() if staff.line_manager else ""
    if current_manager != row.line_manager_email:
        changes.append(
            FieldChange(
                LABELS["line_manager"],
                _display(current_manager),
                _display(row.line_manager_email),
            )
        )
    if not staff.is_active:
        changes.append(FieldChange(LABELS["is_active"], "no", "yes"))
    return changes


@transaction.atomic
def staff_import(*, actor: Any, trust: Trust, csv_text: str, dry_run: bool = False) -> ImportResult:
    """Validate the whole file, then (unless ``dry_run`` or there are errors) create and update
    the people it lists. All or nothing: any error leaves the trust untouched."""
    result = staff_import_plan(trust=trust, csv_text=csv_text)
    if dry_run or not result.ok or not result.changes_anything:
        return result
    people: dict[str, StaffMember] = {
        row.email: row.existing for row in result.unchanged + result.updated if row.existing
    }
    manager_emails = {
        row.line_manager_email
        for row in result.created + result.updated
        if row.line_manager_email and row.line_manager_email not in people
    }
    if manager_emails:
        for staff in (
            StaffMember.objects.for_trust(trust)
            .select_related("user")
            .filter(user__email__in=manager_emails)
        ):
            people[staff.user.email.lower()] = staff
    staff_members_create_bulk(
        actor=actor,
        trust=trust,
        people=[
            NewStaff(
                email=row.email,
                first_name=row.first_name,
                last_name=row.last_name,
                school=row.school,
                job_title=row.job_title,
                category=row.category,
                career_stage=row.career_stage,
                line_manager=people.get(row.line_manager_email, row.line_manager_email) or None,
                start_date=row.start_date,
                pay_range=row.pay[0] if row.pay else "",
                pay_point=row.pay[1] if row.pay else None,
                flags=row.flags,
            )
            for row in result.created
        ],
    )
    created = (
        {
            s.user.email: s
            for s in StaffMember.objects.for_trust(trust)
            .select_related("user")
            .filter(user__email__in=[row.email for row in result.created])
        }
        if result.updated
        else {}
    )
    people.update(created)
    updates = []
    for row in result.updated:
        assert row.existing is not None
        changes = _wanted(row)
        changes["line_manager"] = (
            people.get(row.line_manager_email) if row.line_manager_email else None
        )
        if not row.existing.is_active:
            changes["is_active"] = True
        updates.append(
            StaffChange(
                staff=row.existing,
                changes=changes,
                first_name=row.first_name,
                last_name=row.last_name,
            )
        )
    staff_members_update_bulk(actor=actor, trust=trust, updates=updates)
    result.applied = True
    return result


def staff_export_table(*, trust: Trust) -> ReportTable:
    """The trust's people in the import's own columns, so the file can be edited and
    imported back unchanged (pay range and point included)."""
    people = (
        StaffMember.objects.for_trust(trust)
        .filter(is_active=True)
        .select_related("user", "school", "career_stage", "line_manager__user")
        .order_by("school__name", "user__last_name", "user__first_name")
    )
    columns = [*COLUMNS]
    rows = []
    for person in people:
        values = {
            "first_name": person.user.first_name,
            "last_name": person.user.last_name,
            "email": person.user.email,
            "school": person.school.name,
            "job_title": person.job_title,
            "category": person.get_category_display(),
            "career_stage": person.career_stage.name if person.career_stage else "",
            "line_manager": person.line_manager.user.email if person.line_manager else "",
            "start_date": person.start_date.isoformat(),
            "pay_range": person.get_pay_range_display() if person.pay_range else "",
            "pay_point": str(person.pay_point or ""),
            **{flag: "yes" if getattr(person, flag) else "no" for flag in FLAGS},
            "leave_date": person.leave_date.isoformat() if person.leave_date else "",
        }
        rows.append([Cell(values[c]) for c in columns])
    return ReportTable(
        key="staff",
        caption="Staff",
        columns=[Column(c, LABELS[c]) for c in columns],
        rows=rows,
    )
