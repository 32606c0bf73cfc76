"""Who reads and writes the parts of a support plan.

The wall is consent's (consent.policies): a part is read by the organisation that wrote it,
and by another organisation only while a consent in force on the person names that
organisation, the part's need domain and the plan data category. The file keeper never
names itself in the consents it records: it reads another organisation's part while a
consent in force names that organisation for the part's domain and plans (the consent
that let the part be written is what lets it come back). Withdrawn or expired, a consent
opens nothing from the next read on, since every read joins on `part_visibility`.
"""

from django.db.models import Exists, OuterRef, Q

from consent.models import DataCategory
from consent.policies import consents_in_force, opening
from directory.models import OrganisationKind
from maillage.actor import Actor
from members.policies import can_open_files, can_read_personal_data


def part_visibility(organisation_id: int, *, via: str = "") -> Q:
    """A Q on a part (Commitment, Piis; an AssessmentItem with via="assessment__", whose
    assessment has the plan and the author): the organisation reads it. A part has `plan`,
    `organisation` (its author) and `domain`."""
    person = OuterRef(f"{via}plan__person_id")
    to_reader = opening(organisation_id=organisation_id, category=DataCategory.PLAN).filter(
        person_id=person, domains=OuterRef("domain_id")
    )
    to_author = consents_in_force().filter(
        recipients=OuterRef(f"{via}organisation_id"),
        categories__contains=[DataCategory.PLAN],
        person_id=person,
        domains=OuterRef("domain_id"),
    )
    return (
        Q(**{f"{via}organisation_id": organisation_id})
        | Q(Exists(to_reader))
        | (Q(**{f"{via}plan__person__organisation_id": organisation_id}) & Q(Exists(to_author)))
    )


def review_visibility(organisation_id: int) -> Q:
    """A Q on PlanReview: read by the organisation that recorded it, and by a participant
    that keeps the file or that a consent in force opens the plan to (any need domain)."""
    opened = opening(organisation_id=organisation_id, category=DataCategory.PLAN).filter(
        person_id=OuterRef("plan__person_id")
    )
    return Q(organisation_id=organisation_id) | (
        Q(participants__id=organisation_id) & (Q(plan__person__organisation_id=organisation_id) | Q(Exists(opened)))
    )


def can_read_plans(actor: Actor) -> bool:
    return can_read_personal_data(actor) and actor.organisation is not None


def can_write_parts(actor: Actor) -> bool:
    """Assessments, commitments and reviews are written by members who keep files."""
    return can_open_files(actor)


def can_write_piis(actor: Actor) -> bool:
    """Only a CPAS signs a PIIS with the person."""
    return can_open_files(actor) and actor.organisation.kind == OrganisationKind.CPAS
