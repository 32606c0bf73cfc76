"""Writes to persons and households. Only the organisation that follows a person changes
its file; every write leaves an audit event naming the person."""

from dataclasses import dataclass, field
from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm
from stdnum.exceptions import ValidationError as StdnumError

from audit.services import record_event
from consent.services import anonymise_consents_of
from directory.models import ResidenceStatus
from maillage.actor import Actor
from maillage.cleaning import EARLIEST_BIRTH, check_date, check_not_before
from maillage.errors import Conflict, Forbidden, Invalid
from maillage.hooks import run_hooks
from maillage.languages import is_spoken_language
from members.roles import KEEPS_FILES
from notifications.services import notify
from persons import names, national_number, policies
from persons.models import (
    NAME_DERIVED_FIELDS,
    PERSONAL_FIELDS,
    WORK_ON_PERSON,
    Household,
    HouseholdMember,
    LanguageLevel,
    Literacy,
    Person,
    PersonAssignment,
    Relation,
)


@dataclass
class PersonInput:
    given_name: str
    family_name: str
    birth_date: date | None = None
    birth_year: int | None = None
    languages: list[str] = field(default_factory=list)
    preferred_language: str = ""
    french_level: str = ""
    dutch_level: str = ""
    literacy: str = ""
    interpreter_needed: bool = False
    interpreter_language: str = ""
    status: str = ""
    commune_registration_date: date | None = None
    programme_registration_date: date | None = None
    national_number: str | None = None  # None: leave as is; "": erase


def person_input_errors(data: PersonInput) -> dict[str, list]:
    """Every problem of a file's input at once, by field, without writing: the form shows
    them in one round, with the rules kept here only."""
    try:
        _clean(data)
    except Invalid as error:
        return error.fields
    return {}


def _check_number(number: str, data: PersonInput, name: str, errors: dict) -> None:
    if name in errors or "birth_date" in errors or "birth_year" in errors:
        return
    found = national_number.contradictions(number, birth_date=data.birth_date, birth_year=data.birth_year)
    if found:
        errors[name] = found


def _clean(data: PersonInput, *, stored_number: str = "") -> dict:
    """The file's values from the input, or Invalid naming every field at fault.
    `stored_number`: the number the file keeps when the input leaves it as is."""
    errors: dict[str, list] = {}
    given, family = (data.given_name or "").strip(), (data.family_name or "").strip()
    if not given:
        errors["given_name"] = [_("Enter the given name.")]
    if not family:
        errors["family_name"] = [_("Enter the family name.")]
    today = timezone.localdate()
    check_date(data.birth_date, "birth_date", errors, earliest=EARLIEST_BIRTH)
    # 0 is a number typed, not a year left out: refused like any other out of range.
    if data.birth_year is not None and not EARLIEST_BIRTH.year <= data.birth_year <= today.year:
        errors["birth_year"] = [_("A birth year between 1900 and this year.")]
    if data.birth_date and data.birth_year and data.birth_year != data.birth_date.year:
        errors["birth_year"] = [_("The birth year differs from the birth date.")]
    languages = []
    for code in data.languages:
        if not is_spoken_language(code):
            errors.setdefault("languages", []).append(_("Unknown language code: %(code)s.") % {"code": code})
        elif code not in languages:
            languages.append(code)
    for name in ("preferred_language", "interpreter_language"):
        value = getattr(data, name)
        if value and not is_spoken_language(value):
            errors[name] = [_("Unknown language code: %(code)s.") % {"code": value}]
    for name in ("french_level", "dutch_level"):
        if getattr(data, name) and getattr(data, name) not in LanguageLevel.values:
            errors[name] = [_("Unknown level.")]
    if data.literacy and data.literacy not in Literacy.values:
        errors["literacy"] = [_("Unknown value.")]
    if data.status and data.status not in ResidenceStatus.values:
        errors["status"] = [_("Unknown status.")]
    if data.interpreter_needed and not data.interpreter_language:
        errors["interpreter_language"] = [_("Say for which language an interpreter is needed.")]
    # A commune registration can be as old as the person; the integration programmes are younger.
    check_date(data.commune_registration_date, "commune_registration_date", errors, earliest=EARLIEST_BIRTH)
    check_date(data.programme_registration_date, "programme_registration_date", errors)
    check_not_before(
        data.commune_registration_date,
        data.birth_date,
        "commune_registration_date",
        errors,
        message=_("The commune registration cannot come before the birth date."),
    )
    # The programme is open to those registered in a commune: joined before, a date is mistyped.
    check_not_before(
        data.programme_registration_date,
        data.commune_registration_date,
        "programme_registration_date",
        errors,
        message=_("The programme registration cannot come before the commune registration."),
    )
    encrypted = None
    if data.national_number is not None:
        if data.national_number.strip():
            try:
                number = national_number.normalise(data.national_number)
            except StdnumError:
                errors["national_number"] = [_("This is not a valid national register number.")]
            else:
                encrypted = national_number.encrypt(number)
                _check_number(number, data, "national_number", errors)
        else:
            encrypted = ""
    elif stored_number:
        # The number kept: a new birth date must still agree with it.
        _check_number(stored_number, data, "birth_date" if data.birth_date else "birth_year", errors)
    if errors:
        raise Invalid(fields=errors)
    values = {
        "given_name": given,
        "family_name": family,
        "search_name": names.search_name(given, family),
        "search_key": names.search_key(given, family),
        "birth_date": data.birth_date,
        "birth_year": data.birth_year or (data.birth_date.year if data.birth_date else None),
        "languages": languages,
        "preferred_language": data.preferred_language,
        "french_level": data.french_level,
        "dutch_level": data.dutch_level,
        "literacy": data.literacy,
        "interpreter_needed": data.interpreter_needed,
        "interpreter_language": data.interpreter_language if data.interpreter_needed else "",
        "status": data.status,
        "commune_registration_date": data.commune_registration_date,
        "programme_registration_date": data.programme_registration_date,
    }
    if encrypted is not None:
        values["national_number_encrypted"] = encrypted
    return values


def _person_event(actor: Actor, action: str, person: Person) -> None:
    record_event(
        actor=actor,
        action=action,
        object_type="person",
        object_public_id=person.public_id,
        person_public_id=person.public_id,
    )


@transaction.atomic
def create_person(*, actor: Actor, data: PersonInput) -> Person:
    """Opens a file for the actor's organisation. Call persons.selectors.possible_duplicates
    first to warn the worker."""
    if not policies.can_open_files(actor):
        raise Forbidden()
    person = Person.objects.create(organisation=actor.organisation, created_by=actor.user, **_clean(data))
    _person_event(actor, "person.created", person)
    return person


@transaction.atomic
def update_person(*, actor: Actor, person: Person, data: PersonInput) -> Person:
    if not policies.can_edit_file(actor, person):
        raise Forbidden()
    if person.anonymised_at:
        raise Conflict(_("This file was anonymised."))
    stored = national_number.decrypt(person.national_number_encrypted) if data.national_number is None else ""
    for name, value in _clean(data, stored_number=stored).items():
        setattr(person, name, value)
    person.save()
    _person_event(actor, "person.updated", person)
    return person


@transaction.atomic
def close_file(*, actor: Actor, person: Person) -> Person:
    """Closing starts the retention clock; the file is anonymised after the set delay."""
    if not policies.can_edit_file(actor, person):
        raise Forbidden()
    if person.closed_at:
        raise Conflict(_("This file is already closed."))
    person.closed_at = timezone.now()
    person.save(update_fields=["closed_at", "updated_at"])
    _person_event(actor, "person.closed", person)
    return person


@transaction.atomic
def reopen_file(*, actor: Actor, person: Person) -> Person:
    """The organisation that closed a file opens it again (a closing by mistake, a person
    who comes back); the retention clock stops. An anonymised file stays closed for good."""
    if not policies.can_edit_file(actor, person):
        raise Forbidden()
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.anonymised_at:
        raise Conflict(_("This file was anonymised: it cannot be reopened."))
    if person.moved_at:
        raise Conflict(_("The person moved to another coordination: the file is followed there now."))
    if not person.closed_at:
        raise Conflict(_("This file is not closed."))
    person.closed_at = None
    person.save(update_fields=["closed_at", "updated_at"])
    _person_event(actor, "person.reopened", person)
    return person


@transaction.atomic
def create_household(*, actor: Actor, name: str, members: list[tuple[Person, str]]) -> Household:
    if not policies.can_open_files(actor):
        raise Forbidden()
    errors: dict[str, list] = {}
    if not (name or "").strip():
        errors["name"] = [_("Give the household a name.")]
    if not members:
        errors["members"] = [_("A household has at least one person.")]
    for person, relation in members:
        if person.organisation_id != actor.organisation.pk:
            errors.setdefault("members", []).append(_("Only persons your organisation follows."))
        if relation not in Relation.values:
            errors.setdefault("members", []).append(_("Unknown relation."))
    if errors:
        raise Invalid(fields=errors)
    household = Household.objects.create(organisation=actor.organisation, name=name.strip())
    HouseholdMember.objects.bulk_create(
        HouseholdMember(household=household, person=person, relation=relation) for person, relation in members
    )
    record_event(actor=actor, action="household.created", object_type="household", object_public_id=household.public_id)
    return household


@transaction.atomic
def add_household_member(*, actor: Actor, person: Person, relation: str, household=None, new_name: str = ""):
    """Puts a person the actor's organisation follows in one of its households, or in a
    new one."""
    if not policies.can_edit_file(actor, person):
        raise Forbidden()
    if relation not in Relation.values:
        raise Invalid(fields={"relation": [_("Unknown relation.")]})
    if household is None:
        return create_household(actor=actor, name=new_name, members=[(person, relation)])
    if household.organisation_id != actor.organisation.pk:
        raise Forbidden()
    if HouseholdMember.objects.filter(household=household, person=person).exists():
        raise Conflict(_("This person is already in this household."))
    HouseholdMember.objects.create(household=household, person=person, relation=relation)
    record_event(
        actor=actor,
        action="household.member_added",
        object_type="household",
        object_public_id=household.public_id,
        person_public_id=person.public_id,
    )
    return household


# --- A family that moves to another coordination (transfers): the file opened on arrival,
# the parts it receives, and the origin's file marked moved.

SITUATION_FIELDS = (
    "status",
    "french_level",
    "dutch_level",
    "literacy",
    "commune_registration_date",
    "programme_registration_date",
)
_ARRIVING_IDENTITY = (
    "given_name",
    "family_name",
    "birth_date",
    "birth_year",
    "languages",
    "preferred_language",
    "interpreter_needed",
    "interpreter_language",
    "national_number_encrypted",
)


def open_arrived_file(*, actor: Actor, transfer_public_id, arrived_from: str, identity: dict) -> Person:
    """The file a receiving organisation opens when it accepts a family from another
    coordination, from what the consent let cross. One file per transfer: the unique
    `arrived_by_transfer` refuses a second even if two acceptances race. Called inside the
    acceptance's transaction."""
    if not policies.can_open_files(actor):
        raise Forbidden()
    if Person.objects.filter(arrived_by_transfer=transfer_public_id).exists():
        raise Conflict(_("This transfer was already accepted: its file exists."))
    values = {name: identity.get(name) for name in _ARRIVING_IDENTITY if name in identity}
    given, family = values.get("given_name") or "", values.get("family_name") or ""
    person = Person.objects.create(
        organisation=actor.organisation,
        created_by=actor.user,
        arrived_by_transfer=transfer_public_id,
        arrived_from=arrived_from[:300],
        search_name=names.search_name(given, family),
        search_key=names.search_key(given, family),
        **values,
    )
    record_event(
        actor=actor,
        action="person.arrived",
        object_type="person",
        object_public_id=person.public_id,
        person_public_id=person.public_id,
        detail={"transfer": str(transfer_public_id)},
    )
    return person


def receive_situation(*, actor: Actor, person: Person, data: dict) -> None:
    for name in SITUATION_FIELDS:
        if name in data:
            setattr(person, name, data[name])
    person.save(update_fields=[*SITUATION_FIELDS, "updated_at"])


def receive_programme_deadline(*, actor: Actor, person: Person, data: dict) -> None:
    person.programme_due_carried = data["due"]
    person.save(update_fields=["programme_due_carried", "updated_at"])


def mark_moved(*, actor: Actor, person: Person, transfer_public_id) -> Person:
    """The origin's file once the family was accepted elsewhere: it stays with its
    organisation, closed on the move, so retention takes it as any closed file. Marking
    twice changes nothing (the handover's origin side may run again)."""
    if person.moved_at:
        return person
    now = timezone.now()
    person.moved_at = now
    person.closed_at = person.closed_at or now
    person.save(update_fields=["moved_at", "closed_at", "updated_at"])
    record_event(
        actor=actor,
        action="person.moved",
        object_type="person",
        object_public_id=person.public_id,
        person_public_id=person.public_id,
        detail={"transfer": str(transfer_public_id)},
    )
    return person


# --- Retention: closed files are anonymised after the set delay, for good (the signed
# consent forms are kept longer, consent.services.purge_consent_proofs). Audit events stay
# as they are: they hold ids, never personal data, and the person's public id is not
# personal data once the file is anonymised.


ANONYMISED_NAME = "—"


def _neutral(field: models.Field):
    if field.null:
        return None
    if isinstance(field, ArrayField):
        return []
    if isinstance(field, models.BooleanField):
        return False
    if field.blank:
        return ""
    return ANONYMISED_NAME  # required text: the names


NEUTRAL_VALUES = {name: _neutral(Person._meta.get_field(name)) for name in PERSONAL_FIELDS}
NEUTRAL_VALUES |= dict.fromkeys(NAME_DERIVED_FIELDS, "")


@transaction.atomic
def anonymise_closed_files(*, actor: Actor, now: datetime | None = None) -> int:
    """Overwrites the personal data of files closed longer than MAILLAGE_RETENTION_MONTHS.
    Irreversible: nothing is copied elsewhere first."""
    now = now or timezone.now()
    limit = now - relativedelta(months=settings.MAILLAGE_RETENTION_MONTHS)
    persons = Person.objects.select_for_update().filter(closed_at__lt=limit, anonymised_at__isnull=True)
    count = 0
    for person in persons:
        for name, value in NEUTRAL_VALUES.items():
            setattr(person, name, value)
        person.national_number_encrypted = ""
        person.anonymised_at = now
        person.save(update_fields=[*NEUTRAL_VALUES, "national_number_encrypted", "anonymised_at", "updated_at"])
        anonymise_consents_of(actor=actor, person=person, placeholder=ANONYMISED_NAME)
        # What higher apps keep about the person goes too (referrals: the case notes).
        run_hooks("MAILLAGE_PERSON_ANONYMISED_HOOKS", actor=actor, person=person, placeholder=ANONYMISED_NAME)
        record_event(
            actor=actor,
            action="person.anonymised",
            object_type="person",
            object_public_id=person.public_id,
            person_public_id=person.public_id,
            detail={"retention_months": settings.MAILLAGE_RETENTION_MONTHS},
        )
        count += 1
    _anonymise_households(actor=actor)
    return count


def _anonymise_households(*, actor: Actor) -> None:
    """A household's name ("Family A.") goes once every member's file is anonymised."""
    members = HouseholdMember.objects.filter(household=OuterRef("pk"))
    households = Household.objects.filter(
        Exists(members.filter(person__anonymised_at__isnull=False)),
        ~Exists(members.filter(person__anonymised_at__isnull=True)),
    ).exclude(name=ANONYMISED_NAME)
    for household in households.select_for_update():
        household.name = ANONYMISED_NAME
        household.save(update_fields=["name", "updated_at"])
        record_event(
            actor=actor, action="household.anonymised", object_type="household", object_public_id=household.public_id
        )


@transaction.atomic
def take_file(*, actor: Actor, person: Person) -> Person:
    """The actor takes the file: it is theirs now, and no longer the colleague's who had it."""
    return _assign_file(actor, person, actor.membership, action="person.taken")


@transaction.atomic
def hand_over_file(*, actor: Actor, person: Person, to_member) -> Person:
    """The file passes to a colleague who keeps files (`to_member`, from
    members.selectors.get_colleague), who is told."""
    person = _assign_file(actor, person, to_member, action="person.handed_over")
    if to_member.user_id != actor.user.pk:
        notify(
            [to_member.user],
            kind="file_handed_over",
            params={"person": str(person.public_id)},
            url=f"persons/{person.public_id}/",
            by=actor.organisation,
        )
    return person


def _assign_file(actor: Actor, person: Person, member, *, action: str) -> Person:
    """One named worker per file, as django-guardian's object permission: whoever had it
    loses it. Checked under the file's row lock."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if not policies.can_edit_file(actor, person):
        raise Forbidden()
    if person.closed_at or person.anonymised_at:
        raise Conflict(_("This file is closed: reopen it before assigning it."))
    if member.organisation_id != person.organisation_id or not member.is_active or member.role not in KEEPS_FILES:
        raise Invalid(fields={"member": [_("Choose a colleague of your organisation who keeps files.")]})
    PersonAssignment.objects.filter(content_object=person).exclude(user_id=member.user_id).delete()
    assign_perm(f"persons.{WORK_ON_PERSON}", member.user, person)
    record_event(
        actor=actor,
        action=action,
        object_type="person",
        object_public_id=person.public_id,
        person_public_id=person.public_id,
        detail={"to": str(member.public_id)},
    )
    return person
