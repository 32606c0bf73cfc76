"""Writes to the directory: organisations, places, offers, the taxonomy, freshness."""

import re
import uuid
from dataclasses import dataclass, field
from datetime import date, time

from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.be import vat

from audit.services import record_event
from directory import policies, search
from directory.models import (
    TEXT_LANGUAGES,
    Access,
    CapacityStatus,
    Cost,
    Location,
    NeedDomain,
    Offer,
    OpeningHours,
    Organisation,
    OrganisationKind,
    ResidenceStatus,
    ThesaurusEntry,
    ThesaurusTerm,
)
from maillage.actor import Actor
from maillage.cleaning import check_date
from maillage.errors import Forbidden, Invalid
from maillage.languages import is_known_language

POSTCODE_RE = re.compile(r"^\d{4}$")


def normalise_enterprise_number(value: str) -> str:
    """'BE 0403.019.261' → '0403019261'; raises Invalid when the check digits fail."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        return vat.validate(value)
    except Exception:  # stdnum raises several ValidationError subclasses
        raise Invalid(fields={"enterprise_number": [_("This is not a valid BCE/KBO enterprise number.")]}) from None


def _check_languages(codes: list[str], field_name: str, errors: dict) -> list[str]:
    cleaned = []
    for code in codes or []:
        code = code.strip().lower()
        if not is_known_language(code):
            errors.setdefault(field_name, []).append(_("Unknown language code: %(code)s.") % {"code": code})
        elif code not in cleaned:
            cleaned.append(code)
    return cleaned


# --- Organisations -------------------------------------------------------------------


@dataclass
class OrganisationInput:
    name: str
    kind: str
    enterprise_number: str = ""
    name_nl: str = ""
    is_member: bool = True
    description: str = ""
    street: str = ""
    postcode: str = ""
    city: str = ""
    website: str = ""
    email: str = ""
    phone: str = ""
    staff_languages: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, organisation: Organisation) -> "OrganisationInput":
        """The organisation's current values, to change some of them."""
        return cls(
            name=organisation.name,
            name_nl=organisation.name_nl,
            kind=organisation.kind,
            enterprise_number=organisation.enterprise_number,
            is_member=organisation.is_member,
            description=organisation.description,
            street=organisation.street,
            postcode=organisation.postcode,
            city=organisation.city,
            website=organisation.website,
            email=organisation.email,
            phone=organisation.phone,
            staff_languages=list(organisation.staff_languages),
        )


def organisation_input_errors(data: OrganisationInput, *, existing: Organisation | None = None) -> dict[str, list]:
    """Every problem of an organisation's input at once, by field, without writing: the
    form shows them in one round, with the rules kept here only."""
    try:
        _clean_organisation(data, existing=existing)
    except Invalid as error:
        return error.fields
    return {}


def _clean_organisation(data: OrganisationInput, *, existing: Organisation | None) -> dict:
    errors: dict[str, list] = {}
    name = (data.name or "").strip()
    if not name:
        errors["name"] = [_("An organisation needs a name.")]
    else:
        same = Organisation.objects.annotate(lname=Lower("name")).filter(lname=name.lower())
        if existing is not None:
            same = same.exclude(pk=existing.pk)
        if same.exists():
            errors["name"] = [_("An organisation with this name already exists in this coordination.")]
    if data.kind not in OrganisationKind.values:
        errors["kind"] = [_("Unknown kind of organisation.")]
    enterprise_number = ""
    try:
        enterprise_number = normalise_enterprise_number(data.enterprise_number)
    except Invalid as error:
        errors.update(error.fields)
    if data.postcode and not POSTCODE_RE.match(data.postcode.strip()):
        errors["postcode"] = [_("A Belgian postcode has four digits.")]
    staff_languages = _check_languages(data.staff_languages, "staff_languages", errors)
    if errors:
        raise Invalid(fields=errors)
    return {
        "name": name,
        "name_nl": "" if (data.name_nl or "").strip() == name else (data.name_nl or "").strip(),
        "kind": data.kind,
        "enterprise_number": enterprise_number,
        "is_member": data.is_member,
        "description": data.description.strip(),
        "street": data.street.strip(),
        "postcode": data.postcode.strip(),
        "city": data.city.strip(),
        "website": data.website.strip(),
        "email": data.email.strip().lower(),
        "phone": data.phone.strip(),
        "staff_languages": staff_languages,
    }


@transaction.atomic
def create_organisation(
    *,
    actor: Actor,
    name: str = "",
    kind: str = "",
    is_member: bool = True,
    description: str = "",
    data: OrganisationInput | None = None,
    public_id: uuid.UUID | None = None,
) -> Organisation:
    """Adds an organisation. Coordinators add any; provisioning and imports act as system."""
    if not (actor.is_system or policies.can_manage_organisations(actor)):
        raise Forbidden()
    data = data or OrganisationInput(name=name, kind=kind, is_member=is_member, description=description)
    values = _clean_organisation(data, existing=None)
    if public_id is not None:
        values["public_id"] = public_id
    organisation = Organisation.objects.create(**values)
    record_event(
        actor=actor, action="organisation.created", object_type="organisation", object_public_id=organisation.public_id
    )
    return organisation


@transaction.atomic
def update_organisation(*, actor: Actor, organisation: Organisation, data: OrganisationInput) -> Organisation:
    """Members of the organisation edit it; only coordinators decide who is a member."""
    if not (actor.is_system or policies.can_edit_organisation(actor, organisation)):
        raise Forbidden()
    values = _clean_organisation(data, existing=organisation)
    if (
        values["is_member"] != organisation.is_member
        and not actor.is_system
        and not policies.can_manage_organisations(actor)
    ):
        raise Forbidden(_("Only coordinators decide which organisations are members."))
    for name, value in values.items():
        setattr(organisation, name, value)
    organisation.save()
    refresh_search_vectors(Offer.objects.filter(organisation=organisation))
    record_event(
        actor=actor, action="organisation.updated", object_type="organisation", object_public_id=organisation.public_id
    )
    return organisation


# --- Offers --------------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    weekday: int
    opens_at: time
    closes_at: time


@dataclass(frozen=True)
class PlaceInput:
    street: str
    postcode: str
    city: str
    name: str = ""


@dataclass
class OfferInput:
    """`title` and `description` are the French version; the Dutch and English ones are
    optional, and so is the French one as long as one title is given."""

    title: str
    primary_domain: str
    description: str = ""
    title_nl: str = ""
    title_en: str = ""
    description_nl: str = ""
    description_en: str = ""
    secondary_domains: list[str] = field(default_factory=list)
    target_statuses: list[str] = field(default_factory=list)
    age_min: int | None = None
    age_max: int | None = None
    eligibility: str = ""
    languages: list[str] = field(default_factory=list)
    interpretation_available: bool = False
    places: list[PlaceInput] = field(default_factory=list)
    is_online: bool = False
    online_url: str = ""
    phone: str = ""
    opening_hours: list[Slot] = field(default_factory=list)
    schedule_notes: str = ""
    capacity_status: str = CapacityStatus.OPEN
    waiting_weeks: int | None = None
    cost: str = Cost.FREE
    cost_note: str = ""
    access: str = Access.APPOINTMENT
    valid_from: date | None = None
    valid_until: date | None = None
    # Saving an end date already past takes the offer out of the directory: the person
    # saving says they mean it.
    confirm_ended: bool = False


def _input_name(field_name: str) -> str:
    """The French version is `title`/`description` in the input."""
    return {"title_fr": "title", "description_fr": "description"}.get(field_name, field_name)


def offer_input_errors(data: OfferInput, *, kept_until: date | None = None) -> dict[str, list]:
    """Every problem of an offer's input at once, by field, without writing: the form shows
    them in one round, with the rules kept here only."""
    try:
        _clean_offer(data, kept_until=kept_until)
    except Invalid as error:
        return error.fields
    return {}


def _clean_offer(data: OfferInput, *, kept_until: date | None = None) -> tuple[dict, NeedDomain, list[NeedDomain]]:
    """The offer's values, or Invalid naming every field at fault. `kept_until`: the end
    date the offer has now (an ended offer edited without a new end date asks nothing)."""
    errors: dict[str, list] = {}
    texts = {
        "title_fr": data.title,
        "title_nl": data.title_nl,
        "title_en": data.title_en,
        "description_fr": data.description,
        "description_nl": data.description_nl,
        "description_en": data.description_en,
    }
    texts = {name: (value or "").strip() for name, value in texts.items()}
    for code in TEXT_LANGUAGES:
        if len(texts[f"title_{code}"]) > 200:
            errors[_input_name(f"title_{code}")] = [_("A title of at most 200 characters.")]
        if texts[f"description_{code}"] and not texts[f"title_{code}"]:
            errors[_input_name(f"title_{code}")] = [_("A description in this language needs a title too.")]
    if not any(texts[f"title_{code}"] for code in TEXT_LANGUAGES):
        errors["title"] = [_("An offer needs a title, in French, Dutch or English.")]
    domains = {d.code: d for d in NeedDomain.objects.filter(code__in=[data.primary_domain, *data.secondary_domains])}
    primary = domains.get(data.primary_domain)
    if primary is None:
        errors["primary_domain"] = [_("Unknown need domain: %(code)s.") % {"code": data.primary_domain}]
    secondary = []
    for code in data.secondary_domains:
        if code not in domains:
            errors.setdefault("secondary_domains", []).append(_("Unknown need domain: %(code)s.") % {"code": code})
        elif code != data.primary_domain and domains[code] not in secondary:
            secondary.append(domains[code])
    for status in data.target_statuses:
        if status not in ResidenceStatus.values:
            errors.setdefault("target_statuses", []).append(_("Unknown status: %(code)s.") % {"code": status})
    for name in ("age_min", "age_max"):
        value = getattr(data, name)
        if value is not None and not 0 <= value <= 120:
            errors[name] = [_("An age between 0 and 120.")]
    if data.age_min is not None and data.age_max is not None and data.age_max < data.age_min:
        errors["age_max"] = [_("The maximum age is below the minimum age.")]
    languages = _check_languages(data.languages, "languages", errors)
    for place in data.places:
        if not place.street.strip() or not place.city.strip() or not POSTCODE_RE.match(place.postcode.strip()):
            errors.setdefault("places", []).append(_("Each place needs a street, a four-digit postcode and a city."))
    if data.is_online and not data.online_url.strip():
        errors["online_url"] = [_("Give the address of the online service.")]
    for slot in data.opening_hours:
        if not 1 <= slot.weekday <= 7:
            errors.setdefault("opening_hours", []).append(_("Days run from 1 (Monday) to 7 (Sunday)."))
        elif slot.closes_at <= slot.opens_at:
            errors.setdefault("opening_hours", []).append(
                _("A slot closes after it opens (%(opens)s–%(closes)s).")
                % {"opens": slot.opens_at.strftime("%H:%M"), "closes": slot.closes_at.strftime("%H:%M")}
            )
    if data.capacity_status not in CapacityStatus.values:
        errors["capacity_status"] = [_("Unknown capacity status.")]
    if data.waiting_weeks is not None and not 0 <= data.waiting_weeks <= 104:
        errors["waiting_weeks"] = [_("A waiting time between 0 and 104 weeks.")]
    if data.cost not in Cost.values:
        errors["cost"] = [_("Unknown cost.")]
    if data.access not in Access.values:
        errors["access"] = [_("Unknown kind of access.")]
    check_date(data.valid_from, "valid_from", errors, years_ahead=10)
    check_date(data.valid_until, "valid_until", errors, years_ahead=10)
    if data.valid_from and data.valid_until and data.valid_until < data.valid_from:
        errors["valid_until"] = [_("The end date is before the start date.")]
    if (
        "valid_until" not in errors
        and data.valid_until is not None
        and data.valid_until != kept_until
        and data.valid_until < timezone.localdate()
        and not data.confirm_ended
    ):
        errors["confirm_ended"] = [
            _("This end date is past: the offer will be hidden from the directory. Confirm that it has ended.")
        ]
    if errors:
        raise Invalid(fields=errors)
    values = {
        **texts,
        # The one title for lists and papers: the first version in TEXT_LANGUAGES order.
        "title": next(texts[f"title_{code}"] for code in TEXT_LANGUAGES if texts[f"title_{code}"]),
        "description": next(
            (texts[f"description_{code}"] for code in TEXT_LANGUAGES if texts[f"description_{code}"]), ""
        ),
        "primary_domain": primary,
        "target_statuses": list(dict.fromkeys(data.target_statuses)),
        "age_min": data.age_min,
        "age_max": data.age_max,
        "eligibility": data.eligibility.strip(),
        "languages": languages,
        "interpretation_available": data.interpretation_available,
        "is_online": data.is_online,
        "online_url": data.online_url.strip(),
        "phone": data.phone.strip(),
        "schedule_notes": data.schedule_notes.strip(),
        "capacity_status": data.capacity_status,
        "waiting_weeks": data.waiting_weeks,
        "cost": data.cost,
        "cost_note": data.cost_note.strip(),
        "access": data.access,
        "valid_from": data.valid_from,
        "valid_until": data.valid_until,
    }
    return values, primary, secondary


def _set_relations(offer: Offer, data: OfferInput, secondary: list[NeedDomain]) -> None:
    offer.secondary_domains.set(secondary)
    places = []
    for place in data.places:
        location, _created = Location.objects.get_or_create(
            organisation=offer.organisation,
            street=place.street.strip(),
            postcode=place.postcode.strip(),
            defaults={"city": place.city.strip(), "name": place.name.strip()},
        )
        places.append(location)
    offer.locations.set(places)
    offer.opening_hours.all().delete()
    OpeningHours.objects.bulk_create(
        OpeningHours(offer=offer, weekday=s.weekday, opens_at=s.opens_at, closes_at=s.closes_at)
        for s in sorted(set(data.opening_hours), key=lambda s: (s.weekday, s.opens_at))
    )


@transaction.atomic
def create_offer(
    *, actor: Actor, organisation: Organisation, data: OfferInput, public_id: uuid.UUID | None = None
) -> Offer:
    if not (actor.is_system or policies.can_edit_offers_of(actor, organisation)):
        raise Forbidden()
    values, _primary, secondary = _clean_offer(data)
    if public_id is not None:
        values["public_id"] = public_id
    offer = Offer.objects.create(
        organisation=organisation, last_verified_at=timezone.now(), last_verified_by=actor.user, **values
    )
    _set_relations(offer, data, secondary)
    refresh_search_vectors(Offer.objects.filter(pk=offer.pk))
    record_event(actor=actor, action="offer.created", object_type="offer", object_public_id=offer.public_id)
    return offer


@transaction.atomic
def update_offer(*, actor: Actor, offer: Offer, data: OfferInput) -> Offer:
    """Edits an offer; an edit by its organisation counts as a verification."""
    if not (actor.is_system or policies.can_edit_offers_of(actor, offer.organisation)):
        raise Forbidden()
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    values, _primary, secondary = _clean_offer(data, kept_until=offer.valid_until)
    for name, value in values.items():
        setattr(offer, name, value)
    offer.last_verified_at = timezone.now()
    offer.last_verified_by = actor.user
    offer.save()
    _set_relations(offer, data, secondary)
    refresh_search_vectors(Offer.objects.filter(pk=offer.pk))
    record_event(actor=actor, action="offer.updated", object_type="offer", object_public_id=offer.public_id)
    return offer


@transaction.atomic
def confirm_offer_accurate(*, actor: Actor, offer: Offer) -> Offer:
    """The one click that says "still accurate"."""
    if not (actor.is_system or policies.can_edit_offers_of(actor, offer.organisation)):
        raise Forbidden()
    # updated_at by hand: update() skips auto_now, and the HSDS API's modified_after
    # must see the new verification date.
    now = timezone.now()
    Offer.objects.filter(pk=offer.pk).update(
        last_verified_at=now, last_verified_by=actor.user, last_reminded_at=None, updated_at=now
    )
    offer.refresh_from_db()
    record_event(actor=actor, action="offer.verified", object_type="offer", object_public_id=offer.public_id)
    return offer


def refresh_search_vectors(offers) -> None:
    """Rebuilds the offers' search documents (directory.search.DOCUMENT_SQL). One statement
    after the ids."""
    search.index_offers(list(offers.values_list("pk", flat=True)))


# --- Taxonomy ------------------------------------------------------------------------


@transaction.atomic
def add_need_domain(*, actor: Actor, code: str, label_fr: str, label_nl: str, label_en: str) -> NeedDomain:
    """Coordinators add local terms to the taxonomy."""
    if not policies.can_manage_taxonomy(actor):
        raise Forbidden()
    errors: dict[str, list] = {}
    code = (code or "").strip().lower()
    if not re.match(r"^[a-z][a-z0-9_]{1,39}$", code):
        errors["code"] = [_("Use 2 to 40 lowercase letters, digits and underscores.")]
    elif NeedDomain.objects.filter(code=code).exists():
        errors["code"] = [_("This code is already used.")]
    for name, value in (("label_fr", label_fr), ("label_nl", label_nl), ("label_en", label_en)):
        if not (value or "").strip():
            errors[name] = [_("Give a label in each language.")]
    if errors:
        raise Invalid(fields=errors)
    domain = NeedDomain.objects.create(
        code=code, label_fr=label_fr.strip(), label_nl=label_nl.strip(), label_en=label_en.strip(), is_local=True
    )
    search.index_taxonomy_words()
    record_event(actor=actor, action="need_domain.added", object_type="need_domain", detail={"code": code})
    return domain


# --- Search thesaurus ----------------------------------------------------------------

MAX_TERM_LENGTH = 80


def _clean_thesaurus_entry(
    terms: list[str], domain_codes: list[str], *, entry: ThesaurusEntry | None
) -> tuple[list[tuple[str, str]], list[NeedDomain]]:
    errors: dict[str, list] = {}
    cleaned: list[tuple[str, str]] = []
    for text in terms:
        text = " ".join((text or "").split())
        if not text:
            continue
        key = search.fold(text)
        if not key:
            errors.setdefault("terms", []).append(_("“%(term)s” has no letter or digit.") % {"term": text})
        elif len(text) > MAX_TERM_LENGTH:
            message = _("At most %(count)d characters per term.") % {"count": MAX_TERM_LENGTH}
            errors.setdefault("terms", []).append(message)
        elif len(key.split()) > search.MAX_TERM_WORDS:
            errors.setdefault("terms", []).append(
                _("“%(term)s”: at most %(count)d words per term.") % {"term": text, "count": search.MAX_TERM_WORDS}
            )
        elif key not in {k for _text, k in cleaned}:
            cleaned.append((text, key))
    taken = ThesaurusTerm.objects.filter(key__in=[key for _text, key in cleaned])
    if entry is not None:
        taken = taken.exclude(entry=entry)
    for text in taken.values_list("text", flat=True):
        errors.setdefault("terms", []).append(_("“%(term)s” is already in another entry.") % {"term": text})
    domains = list(NeedDomain.objects.filter(code__in=domain_codes))
    for code in sorted(set(domain_codes) - {d.code for d in domains}):
        errors.setdefault("domains", []).append(_("Unknown need domain: %(code)s.") % {"code": code})
    if not errors and len(cleaned) < 2 and not (cleaned and domains):
        errors["terms"] = [_("Give at least two terms that mean the same, or one term and a need domain.")]
    if errors:
        raise Invalid(fields=errors)
    return cleaned, domains


@transaction.atomic
def save_thesaurus_entry(
    *, actor: Actor, terms: list[str], domains: list[str], entry: ThesaurusEntry | None = None
) -> ThesaurusEntry:
    """Coordinators teach the search their words: terms that mean the same (an
    abbreviation, its names in French and Dutch, English words) and the need domains they
    point to."""
    if not (actor.is_system or policies.can_manage_taxonomy(actor)):
        raise Forbidden()
    cleaned, chosen = _clean_thesaurus_entry(terms, domains, entry=entry)
    if entry is None:
        entry = ThesaurusEntry.objects.create(is_local=not actor.is_system)
    else:
        entry.save(update_fields=["updated_at"])
        entry.terms.all().delete()
    ThesaurusTerm.objects.bulk_create(ThesaurusTerm(entry=entry, text=text, key=key) for text, key in cleaned)
    entry.domains.set(chosen)
    search.index_taxonomy_words()
    record_event(
        actor=actor,
        action="thesaurus.entry_saved",
        object_type="thesaurus_entry",
        object_public_id=entry.public_id,
        detail={"terms": len(cleaned), "domains": sorted(d.code for d in chosen)},
    )
    return entry


@transaction.atomic
def delete_thesaurus_entry(*, actor: Actor, entry: ThesaurusEntry) -> None:
    if not (actor.is_system or policies.can_manage_taxonomy(actor)):
        raise Forbidden()
    public_id = entry.public_id
    entry.delete()
    record_event(
        actor=actor, action="thesaurus.entry_deleted", object_type="thesaurus_entry", object_public_id=public_id
    )


# --- Freshness -----------------------------------------------------------------------


def mark_offers_reminded(*, actor: Actor, offers: list[Offer], now=None) -> None:
    """Records that the organisations were reminded of these offers (the reminder itself
    is a message to members: notifications.services.send_verification_reminders)."""
    now = now or timezone.now()
    Offer.objects.filter(pk__in=[o.pk for o in offers]).update(last_reminded_at=now)
    for offer in offers:
        record_event(actor=actor, action="offer.reminder_sent", object_type="offer", object_public_id=offer.public_id)
