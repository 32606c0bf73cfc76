"""The support plan's part of a file that moves to another coordination (maillage.handover,
named in MAILLAGE_TRANSFER_HANDOVER): the assessments' items, commitments and PIIS whose
need domain the transfer's consent names, when it shares plans. Reviews and their decisions
stay behind: they speak for the organisations that met, not for one need domain a consent
can name. Each part crosses with its author's name and coordination, never a key."""

from consent.models import Consent, DataCategory
from consent.policies import what_the_use_lacks
from maillage.actor import Actor
from maillage.handover import Part
from persons.models import Person
from plans import services
from plans.selectors import plan_for_handover

KEY = "plan"


def plan(*, actor: Actor, person: Person, consent: Consent) -> Part | None:
    if what_the_use_lacks(consent, categories=[DataCategory.PLAN]):
        return None
    origin = plan_for_handover(person=person)
    if origin is None:
        return None

    def shared(domain) -> bool:
        # The rule consent applies to every reader, the recipient aside: the acceptance
        # checked that the consent names the receiving organisation (what_the_transfer_lacks).
        return not what_the_use_lacks(consent, domain_codes=[domain.code], categories=[DataCategory.PLAN])

    def came_from(organisation) -> str:
        return f"{organisation.name} ({actor.coordination.name})"

    assessments = []
    for assessment in origin.assessments.all():
        items = [
            {"domain": item.domain.code, "situation": item.situation, "wishes": item.wishes, "agreed": item.agreed}
            for item in assessment.items.all()
            if shared(item.domain)
        ]
        if items:
            assessments.append(
                {
                    "kind": assessment.kind,
                    "assessed_on": assessment.assessed_on,
                    "arrived_from": came_from(assessment.organisation),
                    "items": items,
                }
            )
    commitments = [
        {
            "domain": commitment.domain.code,
            "what": commitment.what,
            "starts_on": commitment.starts_on,
            "ends_on": commitment.ends_on,
            "weekdays": list(commitment.weekdays),
            "starts_at": commitment.starts_at,
            "ends_at": commitment.ends_at,
            "status": commitment.status,
            "arrived_from": came_from(commitment.organisation),
            "arrived_owner": commitment.owner.name,
        }
        for commitment in origin.commitments.all()
        if shared(commitment.domain)
    ]
    piis = [
        {
            "domain": piis.domain.code,
            "signed_on": piis.signed_on,
            "reviewed_on": piis.reviewed_on,
            "objectives": piis.objectives,
            "includes_programme": piis.includes_programme,
            "next_review_on": piis.next_review_on,
            "arrived_from": came_from(piis.organisation),
        }
        for piis in origin.piis.all()
        if shared(piis.domain)
    ]
    if not (assessments or commitments or piis):
        return None
    domains = {part["domain"] for part in [*commitments, *piis]}
    domains |= {item["domain"] for assessment in assessments for item in assessment["items"]}
    services.record_plan_handed_over(actor=actor, plan=origin, domains=sorted(domains))
    return Part(
        KEY,
        {"assessments": assessments, "commitments": commitments, "piis": piis},
        receive=services.receive_plan,
    )
