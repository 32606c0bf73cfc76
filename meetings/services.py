"""Writes: meetings, follow-up actions, the local action plan, calendar feeds, reminders.

Nothing here concerns a followed person: meetings are between organisations, so the audit
events carry ids and codes only, and notices name no one.
"""

import hashlib
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from directory.models import NeedDomain, Organisation
from maillage.actor import Actor
from maillage.cleaning import check_not_before, clean_text
from maillage.errors import Conflict, Forbidden, Invalid, NotFound
from meetings import policies
from meetings.models import (
    Action,
    ActionStatus,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    CalendarFeed,
    Decision,
    Meeting,
    Objective,
    ObjectiveStatus,
)
from members.models import Membership
from members.roles import READS_PERSONAL_DATA
from notifications.models import Notification
from notifications.services import notify

DEFAULT_DURATION = timedelta(hours=2)
LONGEST_MEETING = timedelta(hours=12)
MAX_AGENDA_ITEMS = 40
MAX_DECISIONS = 60
MAX_MINUTES_LENGTH = 50_000
MAX_DECISION_LENGTH = 2_000
MAX_CANCELLATION_REASON_LENGTH = 500
REMIND_DAYS_BEFORE = 3

_video_url = URLValidator(schemes=["https", "http"])


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and timezone.is_naive(value):
        return timezone.make_aware(value)  # the coordination's time: Europe/Brussels
    return value


def _lines(values, *, limit: int, max_length: int, field_name: str, errors: dict) -> list[str]:
    items = [str(v).strip() for v in values or [] if str(v).strip()]
    if len(items) > limit:
        errors[field_name] = [_("At most %(max)s items.") % {"max": limit}]
    elif any(len(item) > max_length for item in items):
        errors[field_name] = [_("Each item holds %(max)s characters at most.") % {"max": max_length}]
    return items


def _member_organisation(public_id, *, field_name: str, errors: dict, missing: str) -> Organisation | None:
    """A member organisation of this coordination, or an error on the field."""
    if public_id in (None, ""):
        errors[field_name] = [missing]
        return None
    try:
        return Organisation.objects.get(public_id=public_id, is_member=True)
    except (Organisation.DoesNotExist, ValueError, ValidationError):
        errors[field_name] = [_("Choose a member organisation of this coordination.")]
        return None


def _event(actor: Actor, action: str, record: "Meeting | Action | Objective", detail: dict) -> None:
    """The audit event of a meeting, an action or an objective, typed by its model."""
    record_event(
        actor=actor,
        action=action,
        object_type=record._meta.model_name,
        object_public_id=record.public_id,
        detail=detail,
    )


# --- Meetings ------------------------------------------------------------------------


@dataclass
class MeetingInput:
    title: str = ""
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    place: str = ""
    video_url: str = ""
    agenda: list[str] = field(default_factory=list)
    minutes: str = ""
    decisions: list[str] = field(default_factory=list)
    # Organisation public id → present / excused / absent; organisations left out have
    # no record.
    attendance: dict = field(default_factory=dict)

    @classmethod
    def of(cls, meeting: Meeting) -> "MeetingInput":
        """The meeting's current values, to change some of them."""
        return cls(
            title=meeting.title,
            starts_at=meeting.starts_at,
            ends_at=meeting.ends_at,
            place=meeting.place,
            video_url=meeting.video_url,
            agenda=[item.title for item in meeting.agenda_items.all()],
            minutes=meeting.minutes,
            decisions=[d.text for d in meeting.decisions.all()],
            attendance={a.organisation.public_id: a.status for a in meeting.attendances.all()},
        )


def meeting_input_errors(data: MeetingInput, *, now: datetime | None = None) -> dict[str, list]:
    """Every problem of a meeting's input at once, by field, without writing: the form shows
    them in one round, with the rules kept here only."""
    try:
        _clean_meeting(data, now or timezone.now())
    except Invalid as error:
        return error.fields
    return {}


def _clean_meeting(data: MeetingInput, now: datetime) -> tuple[dict, list[str], list[str], dict]:
    errors: dict[str, list] = {}
    title = clean_text(
        data.title,
        "title",
        errors,
        max_length=200,
        missing=_("Give the meeting a title."),
        too_long=_("A title holds 200 characters at most."),
    )
    starts_at = _aware(data.starts_at)
    ends_at = _aware(data.ends_at)
    if starts_at is None:
        errors["starts_at"] = [_("Give the date and time the meeting starts.")]
    elif not (now - timedelta(days=365 * 20) <= starts_at <= now + timedelta(days=365 * 5)):
        errors["starts_at"] = [_("Give a date within the last twenty years or the next five.")]
    elif ends_at is None:
        ends_at = starts_at + DEFAULT_DURATION
    elif not (starts_at < ends_at <= starts_at + LONGEST_MEETING):
        errors["ends_at"] = [_("A meeting ends after it starts, within twelve hours.")]
    place = clean_text(data.place, "place", errors, max_length=300, too_long=_("A place holds 300 characters at most."))
    video_url = (data.video_url or "").strip()
    if video_url:
        try:
            _video_url(video_url)
        except ValidationError:
            errors["video_url"] = [_("Give a full web address starting with https://.")]
        else:
            if len(video_url) > 500:
                errors["video_url"] = [_("A web address holds 500 characters at most.")]
    if not place and not video_url:
        errors["place"] = [_("Give a place or a video link (or both).")]
    minutes = (data.minutes or "").strip()
    if len(minutes) > MAX_MINUTES_LENGTH:
        errors["minutes"] = [_("The minutes hold %(max)s characters at most.") % {"max": MAX_MINUTES_LENGTH}]
    elif starts_at is not None and starts_at < now and not minutes:
        errors["minutes"] = [_("This meeting has taken place: write its minutes.")]
    agenda = _lines(data.agenda, limit=MAX_AGENDA_ITEMS, max_length=300, field_name="agenda", errors=errors)
    decisions = _lines(
        data.decisions, limit=MAX_DECISIONS, max_length=MAX_DECISION_LENGTH, field_name="decisions", errors=errors
    )
    attendance = {}
    if data.attendance:
        wanted = {}
        for organisation_id, status in data.attendance.items():
            if status not in AttendanceStatus.values:
                errors["attendance"] = [_("Attendance is present, excused or absent.")]
                break
            try:
                wanted[uuid.UUID(str(organisation_id))] = status
            except ValueError:
                errors["attendance"] = [_("Choose member organisations of this coordination.")]
                break
        else:
            organisations = {o.public_id: o for o in Organisation.objects.filter(public_id__in=wanted, is_member=True)}
            if len(organisations) != len(wanted):
                errors["attendance"] = [_("Choose member organisations of this coordination.")]
            attendance = {organisations[k]: v for k, v in wanted.items() if k in organisations}
    if errors:
        raise Invalid(fields=errors)
    values = {
        "title": title,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "place": place,
        "video_url": video_url,
        "minutes": minutes,
    }
    return values, agenda, decisions, attendance


def _write_parts(meeting: Meeting, agenda: list[str], decisions: list[str], attendance: dict) -> None:
    """Agenda, decisions and attendance are replaced as a whole: they are edited together."""
    AgendaItem.objects.filter(meeting=meeting).delete()
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, position=i, title=title) for i, title in enumerate(agenda, start=1)
    )
    Decision.objects.filter(meeting=meeting).delete()
    Decision.objects.bulk_create(
        Decision(meeting=meeting, position=i, text=text) for i, text in enumerate(decisions, start=1)
    )
    Attendance.objects.filter(meeting=meeting).delete()
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, organisation=organisation, status=status)
        for organisation, status in attendance.items()
    )


@transaction.atomic
def create_meeting(*, actor: Actor, data: MeetingInput, now: datetime | None = None) -> Meeting:
    """Plans a meeting (or records one that took place, with its minutes). Members are
    told of a meeting still to come."""
    if not policies.can_manage_meetings(actor):
        raise Forbidden()
    now = now or timezone.now()
    values, agenda, decisions, attendance = _clean_meeting(data, now)
    meeting = Meeting.objects.create(**values, created_by=actor.user)
    _write_parts(meeting, agenda, decisions, attendance)
    _event(actor, "meeting.created", meeting, {"starts_at": meeting.starts_at.isoformat()})
    if meeting.starts_at > now:
        notify(
            _members_to_tell(actor),
            kind=Notification.Kind.MEETING_PLANNED,
            params={"meeting": str(meeting.public_id), "starts_at": meeting.starts_at.isoformat()},
            url=f"meetings/{meeting.public_id}/",
            by=actor.organisation,
        )
    return meeting


def _members_to_tell(actor: Actor) -> list:
    """Every active member of the coordination but the one acting."""
    members = Membership.objects.filter(is_active=True).select_related("user").order_by("pk")
    if actor.user is not None:
        members = members.exclude(user_id=actor.user.pk)
    return [m.user for m in members]


@transaction.atomic
def update_meeting(*, actor: Actor, meeting: Meeting, data: MeetingInput, now: datetime | None = None) -> Meeting:
    if not policies.can_manage_meetings(actor):
        raise Forbidden()
    now = now or timezone.now()
    values, agenda, decisions, attendance = _clean_meeting(data, now)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_cancelled:
        raise Conflict(_("This meeting was cancelled: it can no longer be changed."))
    # The same rule seen from the meeting: moved later, it may not leave its actions due before it.
    errors: dict[str, list] = {}
    first_due = meeting.actions.filter(due_on__isnull=False).order_by("due_on").values_list("due_on", flat=True).first()
    check_not_before(
        first_due,
        values["starts_at"],
        "starts_at",
        errors,
        message=_("Actions of this meeting fall due before this day: change their due dates first."),
    )
    if errors:
        raise Invalid(fields=errors)
    for name, value in values.items():
        setattr(meeting, name, value)
    meeting.sequence += 1
    meeting.save()
    _write_parts(meeting, agenda, decisions, attendance)
    _event(
        actor, "meeting.updated", meeting, {"starts_at": meeting.starts_at.isoformat(), "sequence": meeting.sequence}
    )
    return meeting


@transaction.atomic
def cancel_meeting(*, actor: Actor, meeting: Meeting, reason: str, now: datetime | None = None) -> Meeting:
    """Marks a meeting still to come as cancelled, with the reason members are given. The
    record stays (listed, marked); calendar apps drop the event (STATUS:CANCELLED, a new
    SEQUENCE), and every other member is told in the app and by e-mail."""
    if not policies.can_cancel_meeting(actor, meeting):
        raise Forbidden()
    now = now or timezone.now()
    errors: dict[str, list] = {}
    reason = clean_text(
        reason,
        "reason",
        errors,
        max_length=MAX_CANCELLATION_REASON_LENGTH,
        missing=_("Say why the meeting is cancelled."),
        too_long=_("The reason holds %(max)s characters at most.") % {"max": MAX_CANCELLATION_REASON_LENGTH},
    )
    if errors:
        raise Invalid(fields=errors)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_cancelled:
        raise Conflict(_("This meeting is already cancelled."))
    if meeting.starts_at <= now:
        raise Conflict(_("This meeting has already started or taken place: it cannot be cancelled."))
    meeting.cancelled_at = now
    meeting.cancelled_by = actor.user
    meeting.cancellation_reason = reason
    meeting.sequence += 1
    meeting.save(update_fields=["cancelled_at", "cancelled_by", "cancellation_reason", "sequence", "updated_at"])
    # The reason is free text: it stays on the meeting, out of the audit trail.
    _event(
        actor, "meeting.cancelled", meeting, {"starts_at": meeting.starts_at.isoformat(), "sequence": meeting.sequence}
    )
    notify(
        _members_to_tell(actor),
        kind=Notification.Kind.MEETING_PLANNED,
        params={"meeting": str(meeting.public_id), "starts_at": meeting.starts_at.isoformat(), "cancelled": True},
        url=f"meetings/{meeting.public_id}/",
        by=actor.organisation,
    )
    return meeting


# --- Actions -------------------------------------------------------------------------


@dataclass
class ActionInput:
    what: str = ""
    owner: uuid.UUID | str | None = None  # organisation public id
    due_on: date | None = None
    status: str = ActionStatus.OPEN
    meeting: uuid.UUID | str | None = None
    objective: uuid.UUID | str | None = None

    @classmethod
    def of(cls, action: Action) -> "ActionInput":
        return cls(
            what=action.what,
            owner=action.owner.public_id,
            due_on=action.due_on,
            status=action.status,
            meeting=action.meeting.public_id if action.meeting_id else None,
            objective=action.objective.public_id if action.objective_id else None,
        )


def _by_public_id(model, public_id, *, field_name: str, message: str, errors: dict):
    if public_id in (None, ""):
        return None
    try:
        return model.objects.get(public_id=public_id)
    except (model.DoesNotExist, ValueError, ValidationError):
        errors[field_name] = [message]
        return None


def _clean_action(data: ActionInput, today: date) -> dict:
    errors: dict[str, list] = {}
    what = clean_text(
        data.what,
        "what",
        errors,
        max_length=500,
        missing=_("Say what is to be done."),
        too_long=_("Say it in 500 characters at most."),
    )
    owner = _member_organisation(
        data.owner, field_name="owner", errors=errors, missing=_("Name the organisation that owns this action.")
    )
    if data.due_on is not None and abs((data.due_on - today).days) > 5 * 366:
        errors["due_on"] = [_("Give a date within five years.")]
    if data.status not in ActionStatus.values:
        errors["status"] = [_("The status is open, done or dropped.")]
    meeting = _by_public_id(
        Meeting, data.meeting, field_name="meeting", message=_("This meeting does not exist."), errors=errors
    )
    objective = _by_public_id(
        Objective, data.objective, field_name="objective", message=_("This objective does not exist."), errors=errors
    )
    # A meeting's follow-up cannot fall due before the meeting decided it: it would show as
    # overdue the moment it is written.
    check_not_before(
        data.due_on,
        meeting.starts_at if meeting else None,
        "due_on",
        errors,
        message=_("An action is due on or after the day of its meeting."),
    )
    if errors:
        raise Invalid(fields=errors)
    return {
        "what": what,
        "owner": owner,
        "due_on": data.due_on,
        "status": data.status,
        "meeting": meeting,
        "objective": objective,
    }


def _action_detail(action: Action) -> dict:
    return {
        "owner": str(action.owner.public_id),
        "status": action.status,
        "due_on": action.due_on.isoformat() if action.due_on else None,
        "meeting": str(action.meeting.public_id) if action.meeting_id else None,
        "objective": str(action.objective.public_id) if action.objective_id else None,
    }


@transaction.atomic
def create_action(*, actor: Actor, data: ActionInput, today: date | None = None) -> Action:
    """Records a follow-up action; coordinators only. An owner organisation is required."""
    if not policies.can_manage_meetings(actor):
        raise Forbidden()
    values = _clean_action(data, today or timezone.localdate())
    now = timezone.now()
    action = Action.objects.create(
        **values,
        created_by=actor.user,
        status_changed_at=now if values["status"] != ActionStatus.OPEN else None,
        status_changed_by=actor.user if values["status"] != ActionStatus.OPEN else None,
    )
    _event(actor, "action.created", action, _action_detail(action))
    return action


@transaction.atomic
def update_action(*, actor: Actor, action: Action, data: ActionInput, today: date | None = None) -> Action:
    """Coordinators change any action. A new due date (or owner) asks for new reminders."""
    if not policies.can_edit_action(actor, action):
        raise Forbidden()
    values = _clean_action(data, today or timezone.localdate())
    action = Action.objects.select_for_update().get(pk=action.pk)
    if values["due_on"] != action.due_on or values["owner"].pk != action.owner_id:
        action.reminded_at = None
        action.overdue_notified_at = None
    if values["status"] != action.status:
        action.status_changed_at = timezone.now()
        action.status_changed_by = actor.user
    for name, value in values.items():
        setattr(action, name, value)
    action.save()
    _event(actor, "action.updated", action, _action_detail(action))
    return action


@transaction.atomic
def set_action_status(*, actor: Actor, action: Action, status: str) -> Action:
    """The owner organisation's members mark their action done or dropped; coordinators
    set any status (reopening included)."""
    if not policies.can_set_action_status(actor, action):
        raise Forbidden()
    if status not in ActionStatus.values:
        raise Invalid(fields={"status": [_("The status is open, done or dropped.")]})
    if status == ActionStatus.OPEN and not policies.can_edit_action(actor, action):
        raise Forbidden(_("Only a coordinator reopens an action."))
    action = (
        Action.objects.select_for_update(of=("self",)).select_related("owner", "meeting", "objective").get(pk=action.pk)
    )
    if action.status == status:
        raise Conflict(_("The action already has this status."))
    previous = action.status
    action.status = status
    action.status_changed_at = timezone.now()
    action.status_changed_by = actor.user
    action.save(update_fields=["status", "status_changed_at", "status_changed_by", "updated_at"])
    _event(actor, "action.status_changed", action, {"from": previous, "to": status})
    return action


# --- The local action plan -----------------------------------------------------------


@dataclass
class ObjectiveInput:
    need_domain: str = ""  # code
    title: str = ""
    description: str = ""
    status: str = ObjectiveStatus.PLANNED

    @classmethod
    def of(cls, objective: Objective) -> "ObjectiveInput":
        return cls(
            need_domain=objective.need_domain.code,
            title=objective.title,
            description=objective.description,
            status=objective.status,
        )


def _clean_objective(data: ObjectiveInput) -> dict:
    errors: dict[str, list] = {}
    domain = NeedDomain.objects.filter(code=(data.need_domain or "").strip()).first()
    if domain is None:
        errors["need_domain"] = [_("Choose a need domain of the taxonomy.")]
    title = clean_text(
        data.title,
        "title",
        errors,
        max_length=300,
        missing=_("State the objective."),
        too_long=_("State it in 300 characters at most."),
    )
    description = clean_text(
        data.description,
        "description",
        errors,
        max_length=10_000,
        too_long=_("The description holds 10,000 characters at most."),
    )
    if data.status not in ObjectiveStatus.values:
        errors["status"] = [_("Unknown status.")]
    if errors:
        raise Invalid(fields=errors)
    return {"need_domain": domain, "title": title, "description": description, "status": data.status}


@transaction.atomic
def create_objective(*, actor: Actor, data: ObjectiveInput) -> Objective:
    if not policies.can_manage_plan(actor):
        raise Forbidden()
    objective = Objective.objects.create(**_clean_objective(data))
    _event(
        actor, "objective.created", objective, {"need_domain": objective.need_domain.code, "status": objective.status}
    )
    return objective


@transaction.atomic
def update_objective(*, actor: Actor, objective: Objective, data: ObjectiveInput) -> Objective:
    if not policies.can_manage_plan(actor):
        raise Forbidden()
    values = _clean_objective(data)
    objective = Objective.objects.select_for_update().get(pk=objective.pk)
    for name, value in values.items():
        setattr(objective, name, value)
    objective.save()
    _event(
        actor, "objective.updated", objective, {"need_domain": objective.need_domain.code, "status": objective.status}
    )
    return objective


# --- Calendar feed -------------------------------------------------------------------


def feed_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedFeed:
    feed: CalendarFeed
    token: str  # shown once; only its hash is kept


@transaction.atomic
def create_calendar_feed(*, actor: Actor) -> IssuedFeed:
    """A new secret address for the actor's calendar; the previous one stops working."""
    if actor.membership is None:
        raise NotFound()
    now = timezone.now()
    CalendarFeed.objects.select_for_update().filter(membership=actor.membership, revoked_at__isnull=True).update(
        revoked_at=now, updated_at=now
    )
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(membership=actor.membership, token_hash=feed_token_hash(token))
    record_event(
        actor=actor, action="calendar_feed.created", object_type="calendar_feed", object_public_id=feed.public_id
    )
    return IssuedFeed(feed, token)


@transaction.atomic
def revoke_calendar_feed(*, actor: Actor) -> int:
    """Stops the actor's calendar address; returns how many were live (0 or 1)."""
    if actor.membership is None:
        raise NotFound()
    feeds = list(CalendarFeed.objects.select_for_update().filter(membership=actor.membership, revoked_at__isnull=True))
    now = timezone.now()
    for feed in feeds:
        feed.revoked_at = now
        feed.save(update_fields=["revoked_at", "updated_at"])
        record_event(
            actor=actor, action="calendar_feed.revoked", object_type="calendar_feed", object_public_id=feed.public_id
        )
    return len(feeds)


def mark_feed_used(feed: CalendarFeed) -> None:
    """When the address was last fetched, shown to its owner (one UPDATE, no audit event:
    calendar apps poll, and the feed holds no personal data)."""
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())


# --- Reminders -----------------------------------------------------------------------


def _owners_to_tell(organisation_ids) -> dict[int, list]:
    members = (
        Membership.objects.filter(organisation_id__in=organisation_ids, is_active=True, role__in=READS_PERSONAL_DATA)
        .select_related("user")
        .order_by("pk")
    )
    by_organisation: dict[int, list] = {}
    for membership in members:
        by_organisation.setdefault(membership.organisation_id, []).append(membership.user)
    return by_organisation


@transaction.atomic
def send_action_reminders(*, actor: Actor, today: date | None = None, days_before: int = REMIND_DAYS_BEFORE) -> dict:
    """Tells the owner organisation's members (all but observers) of an open action
    `days_before` days before it is due, and once more when it is overdue. Each happens
    once per action and due date (reminded_at, overdue_notified_at), so a second run the
    same day sends nothing; done and dropped actions are left alone. Returns the counts."""
    today = today or timezone.localdate()
    now = timezone.now()
    open_actions = Action.objects.select_for_update(of=("self",)).filter(status=ActionStatus.OPEN, due_on__isnull=False)
    due_soon = list(
        open_actions.filter(
            reminded_at__isnull=True, due_on__gte=today, due_on__lte=today + timedelta(days=days_before)
        )
    )
    overdue = list(open_actions.filter(overdue_notified_at__isnull=True, due_on__lt=today))
    owners = _owners_to_tell({a.owner_id for a in due_soon + overdue})
    for action, is_overdue in [(a, False) for a in due_soon] + [(a, True) for a in overdue]:
        if is_overdue:
            action.overdue_notified_at = now
            action.save(update_fields=["overdue_notified_at", "updated_at"])
        else:
            action.reminded_at = now
            action.save(update_fields=["reminded_at", "updated_at"])
        notify(
            owners.get(action.owner_id, []),
            kind=Notification.Kind.ACTION_DUE,
            params={"action": str(action.public_id), "due_on": action.due_on.isoformat(), "overdue": is_overdue},
            url=f"meetings/actions/{action.public_id}/",
        )
        _event(
            actor,
            "action.overdue_notified" if is_overdue else "action.reminded",
            action,
            {"due_on": action.due_on.isoformat()},
        )
    return {"reminded": len(due_soon), "overdue": len(overdue)}
