"""Demo persons (demo/data/persons.yaml) and referrals with their scripted histories
(demo/data/referrals.yaml). Every name is invented. Loading twice changes nothing."""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.utils import timezone
from django_tenants.utils import schema_context

from consent.selectors import consents_of
from consent.services import ConsentInput, record_consent, withdraw_consent
from demo import schema
from demo.actors import member_actor
from directory.models import Organisation, ResidenceStatus
from maillage.actor import Actor
from members.models import Membership
from members.roles import Role
from persons.selectors import persons_visible_to
from persons.services import PersonInput, create_person
from referrals import services
from referrals.models import ReferralStatus
from referrals.selectors import outbox

# --- The files' shape --------------------------------------------------------------------


@dataclass(frozen=True)
class ConsentTemplate:
    categories: list[str]
    purpose: str
    method: str
    witness_name: str = ""
    interpreter_name: str = ""
    given: schema.Offset | None = None
    valid_until: schema.Offset | None = None  # 12 months after it was given, when left out


@dataclass(frozen=True)
class DemoPerson:
    given_name: str
    family_name: str
    birth_year: int | None = None
    languages: list[str] = field(default_factory=list)
    preferred_language: str = ""
    status: str = ""
    french_level: str = ""
    interpreter_needed: bool = False
    interpreter_language: str = ""
    commune_registration: schema.Offset | None = None
    consent_domains: list[str] | None = None

    def __post_init__(self):
        if self.status:
            schema.check_choice("status", self.status, ResidenceStatus)

    def input(self) -> PersonInput:
        today = timezone.localdate()
        return PersonInput(
            given_name=self.given_name,
            family_name=self.family_name,
            birth_year=self.birth_year,
            languages=list(self.languages),
            preferred_language=self.preferred_language,
            status=self.status,
            french_level=self.french_level,
            interpreter_needed=self.interpreter_needed,
            interpreter_language=self.interpreter_language,
            commune_registration_date=self.commune_registration.day(today) if self.commune_registration else None,
        )


@dataclass(frozen=True)
class DemoPersons:
    keeper: str
    consent_to: str
    consent: ConsentTemplate
    persons: list[DemoPerson]


@dataclass(frozen=True)
class DemoConsent:
    domains: list[str]
    categories: list[str]
    purpose: str
    method: str
    explanation_language: str
    witness_name: str = ""
    given: schema.Offset | None = None
    valid_until: schema.Offset | None = None


@dataclass(frozen=True)
class ReferredPerson:
    given_name: str
    family_name: str
    consent: DemoConsent
    birth_year: int | None = None
    languages: list[str] = field(default_factory=list)
    preferred_language: str = ""
    status: str = ""


# Who performs each step of a history: the sending or the receiving side.
SENDER_STEPS = {"send", "cancel", "withdraw_consent"}
RECEIVER_STEPS = {"acknowledge", "accept", "propose", "start", "decline", "complete", "not_complete"}


@dataclass(frozen=True)
class Step:
    do: str
    reason: str = ""
    note: str = ""
    outcome: str = ""
    # propose: another appointment, `in_days` from the day the demo loads at 10:00, at `place`
    in_days: int = 0
    place: str = ""

    def __post_init__(self):
        if self.do not in SENDER_STEPS | RECEIVER_STEPS:
            raise ValueError(f"do: {self.do!r} is not one of: {', '.join(sorted(SENDER_STEPS | RECEIVER_STEPS))}")


def _step(item: str | Step) -> Step:
    return Step(item) if isinstance(item, str) else item


@dataclass(frozen=True)
class DemoReferral:
    person: str
    state: str
    history: list[str | Step]
    urgency: str = "normal"
    sent: schema.MonthDay | None = None  # when it was written and sent; today when left out

    def __post_init__(self):
        schema.check_choice("state", self.state, ReferralStatus)
        for item in self.history:
            _step(item)


@dataclass(frozen=True)
class FlowPerson:
    given_name: str
    family_name: str
    language: str


@dataclass(frozen=True)
class PartnerFlow:
    sender: str
    receiver: str
    person: FlowPerson
    domain: str
    history: list[str | Step]
    sent: schema.MonthDay | None = None

    def __post_init__(self):
        for item in self.history:
            _step(item)


@dataclass(frozen=True)
class DemoReferrals:
    sender: str
    receiver: str
    reason: str
    persons: list[ReferredPerson]
    referrals: list[DemoReferral]
    partner_consent: ConsentTemplate
    partner_reason: str
    partner_flows: list[PartnerFlow]


def _read_persons() -> dict[str, DemoPersons]:
    return schema.read("persons.yaml", dict[str, DemoPersons])


def _read_referrals() -> dict[str, DemoReferrals]:
    return schema.read("referrals.yaml", dict[str, DemoReferrals])


# --- Loading -----------------------------------------------------------------------------


def load_persons_demo(coordination) -> int:
    spec = _read_persons().get(coordination.slug)
    if spec is None:
        return 0
    created = 0
    with schema_context(coordination.schema_name):
        keeper = (
            Membership.objects.select_related("organisation", "user")
            .filter(organisation__name=spec.keeper, is_active=True, role__in=[Role.WORKER, Role.COORDINATOR])
            .first()
        )
        actor = member_actor(coordination, keeper)
        if actor is None:
            return 0
        recipient = (
            Membership.objects.filter(organisation__name=spec.consent_to)
            .values_list("organisation__public_id", flat=True)
            .first()
        )
        template = spec.consent
        for entry in spec.persons:
            if (
                persons_visible_to(actor=actor)
                .filter(given_name=entry.given_name, family_name=entry.family_name)
                .exists()
            ):
                continue
            person = create_person(actor=actor, data=entry.input())
            created += 1
            if entry.consent_domains and recipient:
                record_consent(
                    actor=actor,
                    person=person,
                    data=ConsentInput(
                        recipients=[recipient],
                        domains=list(entry.consent_domains),
                        categories=list(template.categories),
                        purpose=template.purpose,
                        method=template.method,
                        witness_name=template.witness_name,
                        explanation_language=entry.preferred_language,
                        interpreter_used=entry.interpreter_needed,
                        interpreter_name=template.interpreter_name if entry.interpreter_needed else "",
                        given_at=timezone.now() + template.given.delta if template.given else None,
                        expires_at=timezone.now() + template.valid_until.delta if template.valid_until else None,
                    ),
                )
    return created


def _perform(step: Step, referral, *, sender: Actor, receiver: Actor | None):
    """One step of a scripted history, through the service that does it for real."""
    if step.do == "send":
        services.send_referral(actor=sender, referral=referral)
    elif step.do == "cancel":
        services.cancel_referral(actor=sender, referral=referral)
    elif step.do == "withdraw_consent":
        withdraw_consent(actor=sender, consent=referral.consent, reason=step.reason)
    elif step.do == "acknowledge":
        services.acknowledge_referral(actor=receiver, referral=referral)
    elif step.do == "accept":
        services.accept_referral(actor=receiver, referral=referral)
    elif step.do == "propose":
        day = timezone.localdate() + timedelta(days=step.in_days)
        services.propose_appointment(
            actor=receiver,
            referral=referral,
            appointment_at=timezone.make_aware(datetime.combine(day, time(10, 0))),
            place=step.place,
            note=step.note,
        )
    elif step.do == "start":
        services.start_referral(actor=receiver, referral=referral)
    elif step.do == "decline":
        services.decline_referral(actor=receiver, referral=referral, reason=step.reason, note=step.note)
    elif step.do == "complete":
        services.complete_referral(actor=receiver, referral=referral, outcome=step.outcome)
    elif step.do == "not_complete":
        services.not_complete_referral(actor=receiver, referral=referral, reason=step.reason)
    referral.refresh_from_db()


def _play(history: list[str | Step], referral, *, sender: Actor, receiver: Actor | None, start: datetime) -> None:
    """The steps in order, the first at `start` and each next one two days later (never
    after now), so that answers and closings fall after the sending."""
    now = timezone.now()
    for index, item in enumerate(history):
        step = _step(item)
        if step.do in RECEIVER_STEPS and receiver is None:
            return
        with schema.clock(min(start + timedelta(days=2 * index), now)):
            _perform(step, referral, sender=sender, receiver=receiver)


def load_referrals_demo(coordination) -> int:
    """The referrals of demo/data/referrals.yaml, once per coordination."""
    spec = _read_referrals().get(coordination.slug)
    if spec is None:
        return 0
    with schema_context(coordination.schema_name):
        members = Membership.objects.select_related("organisation", "user").filter(is_active=True)
        sender = member_actor(coordination, members.filter(organisation__name=spec.sender, role=Role.WORKER).first())
        receiver = member_actor(
            coordination, members.filter(organisation__name=spec.receiver, role=Role.CPAS_REFERENT).first()
        )
        if sender is None or receiver is None or outbox(actor=sender).exists():
            return 0
        for entry in spec.persons:
            person = persons_visible_to(actor=sender).filter(given_name=entry.given_name).first() or create_person(
                actor=sender,
                data=PersonInput(
                    given_name=entry.given_name,
                    family_name=entry.family_name,
                    birth_year=entry.birth_year,
                    languages=list(entry.languages),
                    preferred_language=entry.preferred_language,
                    status=entry.status,
                ),
            )
            if not consents_of(actor=sender, person=person).exists():
                record_consent(
                    actor=sender,
                    person=person,
                    data=ConsentInput(
                        recipients=[receiver.organisation.public_id],
                        domains=list(entry.consent.domains),
                        categories=list(entry.consent.categories),
                        purpose=entry.consent.purpose,
                        method=entry.consent.method,
                        witness_name=entry.consent.witness_name,
                        explanation_language=entry.consent.explanation_language,
                        given_at=timezone.now() + entry.consent.given.delta if entry.consent.given else None,
                        expires_at=(
                            timezone.now() + entry.consent.valid_until.delta if entry.consent.valid_until else None
                        ),
                    ),
                )
        made = 0
        now = timezone.now()
        for entry in spec.referrals:
            person = persons_visible_to(actor=sender).get(given_name=entry.person)
            consent = consents_of(actor=sender, person=person).filter(state="given").first()
            if consent is None:
                continue
            start = entry.sent.moment(now) if entry.sent else now
            with schema.clock(start):
                referral = services.create_referral(
                    actor=sender,
                    data=services.ReferralInput(
                        person=person,
                        to_organisation=receiver.organisation,
                        domains=[consent.domains.order_by("code").first().code],
                        consent=consent,
                        reason=spec.reason,
                        urgency=entry.urgency,
                    ),
                )
            made += 1
            _play(entry.history, referral, sender=sender, receiver=receiver, start=start)
            if referral.status != entry.state:
                raise schema.DemoDataError(
                    f'demo/data/referrals.yaml: {coordination.slug} > referrals "{entry.person}": the history ends '
                    f"in {referral.status!r}, not {entry.state!r}"
                )
        return made + _flows_between_partners(coordination, spec)


def _flows_between_partners(coordination, spec: DemoReferrals) -> int:
    """One referral per flow, each with its own invented person and consent."""

    def actor_of(organisation_name: str) -> Actor | None:
        return member_actor(
            coordination,
            Membership.objects.select_related("organisation", "user")
            .filter(organisation__name=organisation_name, is_active=True)
            .exclude(role__in=[Role.OBSERVER, Role.VOLUNTEER])
            .order_by("pk")
            .first(),
        )

    template = spec.partner_consent
    made = 0
    now = timezone.now()
    for flow in spec.partner_flows:
        sender = actor_of(flow.sender)
        recipient = Organisation.objects.filter(name=flow.receiver).first()
        given, family, language = flow.person.given_name, flow.person.family_name, flow.person.language
        if (
            sender is None
            or recipient is None
            or persons_visible_to(actor=sender).filter(given_name=given, family_name=family).exists()
        ):
            continue
        start = flow.sent.moment(now) if flow.sent else now
        # The file and its consent are opened the day before the referral is sent.
        with schema.clock(start - timedelta(days=1)):
            person = create_person(
                actor=sender,
                data=PersonInput(
                    given_name=given, family_name=family, languages=[language], preferred_language=language
                ),
            )
            consent = _partner_consent(sender, person, recipient, flow, template)
        with schema.clock(start):
            referral = services.create_referral(
                actor=sender,
                data=services.ReferralInput(
                    person=person,
                    to_organisation=recipient,
                    domains=[flow.domain],
                    consent=consent,
                    reason=spec.partner_reason,
                ),
            )
        _play(flow.history, referral, sender=sender, receiver=actor_of(flow.receiver), start=start)
        made += 1
    return made


def _partner_consent(sender: Actor, person, recipient, flow: PartnerFlow, template: ConsentTemplate):
    language = flow.person.language
    # Someone who speaks neither French nor Dutch was told through an interpreter.
    interpreted = language not in ("fr", "nl")
    return record_consent(
        actor=sender,
        person=person,
        data=ConsentInput(
            recipients=[recipient.public_id],
            domains=[flow.domain],
            categories=list(template.categories),
            purpose=template.purpose,
            method=template.method,
            witness_name=template.witness_name,
            explanation_language=language,
            interpreter_used=interpreted,
            interpreter_name=template.interpreter_name if interpreted else "",
        ),
    )
