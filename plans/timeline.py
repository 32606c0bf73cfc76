"""The support plan's entries on the person's timeline (MAILLAGE_PERSON_TIMELINE), read
through the plan's own selectors: what the reader sees on the plan, it sees here."""

from datetime import datetime

from django.utils.translation import gettext as _

from maillage import timeline
from maillage.actor import Actor
from maillage.timeline import Detail, Entry
from persons.models import Person
from plans import selectors

PLAN_PATH = "persons/{person}/plan/"


def entries(*, actor: Actor, person: Person, now: datetime) -> list[Entry]:
    plan = selectors.plan_of(actor=actor, person=person)
    if plan is None:
        return []
    path = PLAN_PATH.format(person=person.public_id)
    plans = [plan]
    found = [
        Entry(kind=timeline.PLAN, key="plan-started", at=plan.created_at, title=_("Support plan started"), path=path)
    ]
    for assessment in selectors.assessments_of(actor=actor, plans=plans):
        found.append(
            timeline.on_day(
                kind=timeline.PLAN,
                key=f"assessment-{assessment.public_id}",
                day=assessment.assessed_on,
                title=_("%(kind)s by %(org)s")
                % {"kind": assessment.get_kind_display(), "org": assessment.organisation.name},
                details=tuple(Detail(_("Need"), item.domain.label()) for item in assessment.shown_items),
                path=path,
            )
        )
    for commitment in selectors.commitments_of(actor=actor, plans=plans):
        found.append(
            timeline.on_day(
                kind=timeline.PLAN,
                key=f"commitment-{commitment.public_id}",
                day=commitment.starts_on,
                title=_("Commitment of %(org)s: %(what)s") % {"org": commitment.owner.name, "what": commitment.what},
                status=commitment.status,
                status_label=commitment.get_status_display(),
                path=path,
                public_id=commitment.public_id,
            )
        )
    for piis in selectors.piis_of(actor=actor, plans=plans):
        found.append(
            timeline.on_day(
                kind=timeline.PLAN,
                key=f"piis-{piis.public_id}",
                day=piis.signed_on,
                title=_("PIIS signed with %(org)s") % {"org": piis.organisation.name},
                path=path,
                public_id=piis.public_id,
            )
        )
        if piis.next_review_on:
            found.append(
                timeline.on_day(
                    kind=timeline.PLAN,
                    key=f"piis-review-{piis.public_id}",
                    day=piis.next_review_on,
                    title=_("PIIS review due"),
                    path=path,
                )
            )
    for review in selectors.reviews_of(actor=actor, plans=plans):
        found.append(
            timeline.on_day(
                kind=timeline.PLAN,
                key=f"review-{review.public_id}",
                day=review.held_on,
                title=_("Plan review"),
                text=" ".join(decision.text for decision in review.decisions.all()),
                path=path,
                public_id=review.public_id,
            )
        )
    return found
