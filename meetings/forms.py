"""Forms of the meeting pages. They parse types only; the services say what is valid."""

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from maillage.forms import add_service_errors, filled_data, textarea_field
from meetings.models import ActionStatus, AttendanceStatus, ObjectiveStatus
from meetings.services import ActionInput, MeetingInput, ObjectiveInput, meeting_input_errors

NO_PERSONAL_DATA = _(
    "No personal data about the people you follow belongs here: name organisations and topics, never a person."
)
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), required=False, max_length=200)
    starts_at = forms.DateTimeField(
        label=_("Starts at"),
        required=False,
        help_text=_("Brussels time."),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
    )
    ends_at = forms.DateTimeField(
        label=_("Ends at"),
        required=False,
        help_text=_("Empty: two hours after the start."),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
    )
    place = forms.CharField(
        label=_("Place"), required=False, max_length=300, help_text=_("An address, or leave empty for a video meeting.")
    )
    video_url = forms.CharField(
        label=_("Video link"),
        required=False,
        max_length=500,
        help_text=_("A web address starting with https://."),
        widget=forms.URLInput(),
    )
    agenda = textarea_field(_("Agenda"), rows=5, help_text=_("One item per line, in order."))
    minutes = textarea_field(
        _("Minutes"),
        rows=12,
        help_text=format_lazy("{} {}", _("Required once the meeting has taken place."), NO_PERSONAL_DATA),
    )
    decisions = textarea_field(_("Decisions"), rows=5, help_text=_("One decision per line."))

    MAIN_FIELDS = ("title", "starts_at", "ends_at", "place", "video_url", "agenda", "minutes", "decisions")

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = list(organisations)
        choices = [("", _("not recorded")), *AttendanceStatus.choices]
        for organisation in self.organisations:
            self.fields[self.attendance_name(organisation)] = forms.ChoiceField(
                label=organisation.name, required=False, choices=choices
            )

    @staticmethod
    def attendance_name(organisation) -> str:
        return f"attendance_{organisation.public_id.hex}"

    @classmethod
    def initial_from(cls, meeting, rows) -> dict:
        local = timezone.localtime
        initial = {
            "title": meeting.title,
            "starts_at": local(meeting.starts_at).strftime(DATETIME_FORMAT),
            "ends_at": local(meeting.ends_at).strftime(DATETIME_FORMAT),
            "place": meeting.place,
            "video_url": meeting.video_url,
            "agenda": "\n".join(item.title for item in meeting.agenda_items.all()),
            "minutes": meeting.minutes,
            "decisions": "\n".join(d.text for d in meeting.decisions.all()),
        }
        for row in rows:
            initial[cls.attendance_name(row.organisation)] = row.status
        return initial

    def main_fields(self):
        return [self[name] for name in self.MAIN_FIELDS]

    def attendance_fields(self):
        return [self[self.attendance_name(o)] for o in self.organisations]

    def clean(self):
        """The service's objections join the fields' own: one submit shows every problem."""
        cleaned = super().clean()
        add_service_errors(self, meeting_input_errors(self.to_input(filled_data(self))))
        return cleaned

    def to_input(self, data: dict | None = None) -> MeetingInput:
        data = self.cleaned_data if data is None else data
        return MeetingInput(
            title=data["title"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            place=data["place"],
            video_url=data["video_url"],
            agenda=_lines(data["agenda"]),
            minutes=data["minutes"],
            decisions=_lines(data["decisions"]),
            attendance={
                o.public_id: data[self.attendance_name(o)] for o in self.organisations if data[self.attendance_name(o)]
            },
        )


class ActionForm(forms.Form):
    what = forms.CharField(
        label=_("What"),
        required=False,
        max_length=500,
        help_text=NO_PERSONAL_DATA,
        widget=forms.Textarea(attrs={"rows": 3, "required": True, "aria-describedby": "id_reason_help"}),
    )
    owner = forms.ChoiceField(
        label=_("Owner organisation"), required=False, help_text=_("A member organisation; its members are reminded.")
    )
    due_on = forms.DateField(label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    status = forms.ChoiceField(label=_("Status"), required=False, choices=ActionStatus.choices)
    meeting = forms.ChoiceField(label=_("Decided at the meeting"), required=False)
    objective = forms.ChoiceField(label=_("Objective of the action plan"), required=False)

    def __init__(self, *args, organisations=(), meetings=(), objectives=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", "—")] + [(str(o.public_id), o.name) for o in organisations]
        self.fields["meeting"].choices = [("", "—")] + [
            (str(m.public_id), f"{timezone.localtime(m.starts_at):%d/%m/%Y} — {m.title}") for m in meetings
        ]
        self.fields["objective"].choices = [("", "—")] + [(str(o.public_id), o.title) for o in objectives]

    @classmethod
    def initial_from(cls, action) -> dict:
        return {
            "what": action.what,
            "owner": str(action.owner.public_id),
            "due_on": action.due_on,
            "status": action.status,
            "meeting": str(action.meeting.public_id) if action.meeting_id else "",
            "objective": str(action.objective.public_id) if action.objective_id else "",
        }

    def to_input(self) -> ActionInput:
        data = self.cleaned_data
        return ActionInput(
            what=data["what"],
            owner=data["owner"] or None,
            due_on=data["due_on"],
            status=data["status"] or ActionStatus.OPEN,
            meeting=data["meeting"] or None,
            objective=data["objective"] or None,
        )


class ObjectiveForm(forms.Form):
    need_domain = forms.ChoiceField(label=_("Need domain"), required=False)
    title = forms.CharField(label=_("Objective"), required=False, max_length=300)
    description = textarea_field(_("Description"), rows=4, help_text=NO_PERSONAL_DATA)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=ObjectiveStatus.choices)

    def __init__(self, *args, domains=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["need_domain"].choices = [("", "—")] + [(d.code, d.label()) for d in domains]

    @classmethod
    def initial_from(cls, objective) -> dict:
        return {
            "need_domain": objective.need_domain.code,
            "title": objective.title,
            "description": objective.description,
            "status": objective.status,
        }

    def to_input(self) -> ObjectiveInput:
        data = self.cleaned_data
        return ObjectiveInput(
            need_domain=data["need_domain"],
            title=data["title"],
            description=data["description"],
            status=data["status"] or ObjectiveStatus.PLANNED,
        )


class ActionFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All")), *ActionStatus.choices])
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    mine = forms.BooleanField(label=_("My organisation's only"), required=False)


class CancelMeetingForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancelling"),
        required=False,
        max_length=500,
        help_text=_("Members read it on the meeting page. Name no person."),
        widget=forms.Textarea(attrs={"rows": 3, "required": True, "aria-describedby": "id_reason_help"}),
    )
