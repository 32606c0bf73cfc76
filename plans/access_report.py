"""The support plan in the access report (GDPR article 15), as the file keeper reads it
through the consent wall: a part another organisation wrote and shares with no one the
keeper is named for stays with that organisation, and the report says so."""

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from maillage.actor import Actor
from persons.access_report import DataLine, ReportSection
from persons.models import Person
from plans import selectors


def _day(value) -> str:
    return date_format(value, "SHORT_DATE_FORMAT") if value else "—"


def sections(*, actor: Actor, person: Person) -> list[ReportSection]:
    plan = selectors.plan_of(actor=actor, person=person)
    if plan is None:
        return []
    plans = [plan]
    lines = []
    for assessment in selectors.assessments_of(actor=actor, plans=plans):
        for item in assessment.shown_items:
            label = f"{assessment.get_kind_display()} — {assessment.organisation.name} — {item.domain.label()}"
            parts = [
                f"{_('Situation')}: {item.situation}" if item.situation else "",
                f"{_('What you want')}: {item.wishes}" if item.wishes else "",
                f"{_('What is agreed')}: {item.agreed}" if item.agreed else "",
            ]
            lines.append(DataLine(label, " · ".join(p for p in parts if p)))
    for commitment in selectors.commitments_of(actor=actor, plans=plans):
        lines.append(
            DataLine(
                f"{_('Commitment')} — {commitment.owner.name}",
                f"{commitment.what} ({_day(commitment.starts_on)}, {commitment.get_status_display()})",
            )
        )
    for piis in selectors.piis_of(actor=actor, plans=plans):
        lines.append(
            DataLine(
                f"PIIS — {piis.organisation.name}",
                f"{_day(piis.signed_on)}: {piis.objectives}",
            )
        )
    for review in selectors.reviews_of(actor=actor, plans=plans):
        for decision in review.decisions.all():
            lines.append(DataLine(f"{_('Plan review')} — {_day(review.held_on)}", decision.text))
    return [
        ReportSection(
            title=_("Your support plan"),
            intro=_(
                "What the organisations that follow you wrote in your plan, as far as they share it with "
                "%(organisation)s. Ask each organisation for what it keeps itself."
            )
            % {"organisation": person.organisation.name},
            lines=lines,
        )
    ]
