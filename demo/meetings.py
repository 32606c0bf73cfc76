"""Demo meetings and action plan (demo/data/meetings.yaml): for Schaerbeek, two past
meetings with their minutes, attendance, decisions and actions (one due soon, one overdue),
one meeting to come, and a local pact with three objectives. Dates are relative to the day
the demo loads.

Everything goes through the services, as the coordinator. Loading twice changes nothing:
a meeting or objective with the same title is left as it is.
"""

from dataclasses import dataclass, field
from datetime import datetime, time

from django.db import transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from demo import schema
from demo.actors import member_actor
from directory.models import Organisation
from maillage.actor import Actor
from meetings.models import ActionStatus, AttendanceStatus, Meeting, Objective, ObjectiveStatus
from meetings.services import (
    ActionInput,
    MeetingInput,
    ObjectiveInput,
    create_action,
    create_meeting,
    create_objective,
)
from members.models import Membership
from members.roles import Role


@dataclass(frozen=True)
class DemoObjective:
    need_domain: str
    title: str
    description: str
    status: str

    def __post_init__(self):
        schema.check_choice("status", self.status, ObjectiveStatus)


@dataclass(frozen=True)
class DemoAction:
    what: str
    owner: str
    due: schema.Offset
    status: str = ActionStatus.OPEN.value
    objective: str | None = None

    def __post_init__(self):
        schema.check_choice("status", self.status, ActionStatus)


@dataclass(frozen=True)
class DemoMeeting:
    title: str
    day: schema.Offset
    hours: str
    place: str = ""
    video_url: str = ""
    agenda: list[str] = field(default_factory=list)
    minutes: str = ""
    decisions: list[str] = field(default_factory=list)
    attendance: dict[str, str] = field(default_factory=dict)
    actions: list[DemoAction] = field(default_factory=list)

    def __post_init__(self):
        _hours(self.hours)
        for status in self.attendance.values():
            schema.check_choice("attendance", status, AttendanceStatus)


def _hours(text: str) -> tuple[time, time]:
    """ "14:00-16:00" → its start and end."""
    try:
        starts, ends = (time.fromisoformat(part.strip().zfill(5)) for part in text.split("-"))
    except ValueError as error:
        raise ValueError(f"hours: {text!r} does not read like 14:00-16:00") from error
    return starts, ends


@dataclass(frozen=True)
class DemoPlan:
    lead: str
    objectives: list[DemoObjective]
    meetings: list[DemoMeeting]

    def __post_init__(self):
        codes = {o.need_domain for o in self.objectives}
        for meeting in self.meetings:
            for action in meeting.actions:
                if action.objective is not None and action.objective not in codes:
                    raise ValueError(f"actions: {action.what!r} names no objective {action.objective!r}")


def _at(day, moment: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, moment))


def _coordinator(coordination) -> Actor | None:
    membership = (
        Membership.objects.select_related("organisation", "user")
        .filter(role=Role.COORDINATOR, is_active=True)
        .order_by("pk")
        .first()
    )
    return member_actor(coordination, membership)


def load_meetings_demo(coordination) -> int:
    """Creates the coordination's demo meetings and plan (demo/data/meetings.yaml: Schaerbeek
    only); returns the meetings created (0 on a second run, and for any other coordination)."""
    plan = schema.read("meetings.yaml", dict[str, DemoPlan]).get(coordination.slug)
    if plan is None:
        return 0
    with schema_context(coordination.schema_name), transaction.atomic():
        actor = _coordinator(coordination)
        if actor is None:
            return 0
        return _load(actor, plan)


def _load(actor: Actor, plan: DemoPlan) -> int:
    members = {o.name: o for o in Organisation.objects.filter(is_member=True)}
    lead = members.get(plan.lead) or actor.organisation

    def org(name):
        return (members.get(name) or lead).public_id

    today = timezone.localdate()
    objectives = {}
    for spec in plan.objectives:
        objective = Objective.objects.filter(title=spec.title).first() or create_objective(
            actor=actor,
            data=ObjectiveInput(
                need_domain=spec.need_domain, title=spec.title, description=spec.description, status=spec.status
            ),
        )
        objectives[spec.need_domain] = objective.public_id

    created = 0
    for spec in plan.meetings:
        if Meeting.objects.filter(title=spec.title).exists():
            continue
        day = spec.day.day(today)
        starts, ends = _hours(spec.hours)
        meeting = create_meeting(
            actor=actor,
            data=MeetingInput(
                title=spec.title,
                starts_at=_at(day, starts),
                ends_at=_at(day, ends),
                place=spec.place,
                video_url=spec.video_url,
                agenda=list(spec.agenda),
                minutes=spec.minutes,
                decisions=list(spec.decisions),
                attendance={org(name): status for name, status in spec.attendance.items()},
            ),
        )
        for action in spec.actions:
            create_action(
                actor=actor,
                data=ActionInput(
                    what=action.what,
                    owner=org(action.owner),
                    due_on=action.due.day(today),
                    status=action.status,
                    meeting=meeting.public_id,
                    objective=objectives[action.objective] if action.objective else None,
                ),
            )
        created += 1
    return created
