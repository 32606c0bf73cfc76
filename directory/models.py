"""Organisations of a coordination, their places and offers, and the need-domain taxonomy.

An offer is an Open Referral (HSDS) "service"; a place is a "location".
"""

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from maillage.models import Timestamped


class OrganisationKind(models.TextChoices):
    BAPA = "bapa", _("Reception office for newcomers (BAPA)")
    CRI = "cri", _("Regional integration centre (CRI)")
    CPAS = "cpas", _("Public social welfare centre (CPAS)")
    COMMUNE = "commune", _("Commune")
    ASSOCIATION = "association", _("Association")
    NGO = "ngo", _("NGO")
    CITIZEN_INITIATIVE = "citizen_initiative", _("Citizen initiative")
    PUBLIC_SERVICE = "public_service", _("Public service")
    OTHER = "other", _("Other")


class ResidenceStatus(models.TextChoices):
    """Statuses of the people the platform serves (domain brief §3.2)."""

    REFUGEE = "refugee", _("Refugee")
    SUBSIDIARY_PROTECTION = "subsidiary_protection", _("Subsidiary protection")
    FAMILY_REUNIFICATION = "family_reunification", _("Family reunification")
    TEMPORARY_PROTECTION = "temporary_protection", _("Temporary protection")
    REGULARISED = "regularised", _("Regularised")
    APPLICANT = "applicant", _("Applicant for international protection")
    OTHER = "other", _("Other")


class CapacityStatus(models.TextChoices):
    OPEN = "open", _("Open")
    WAITING_LIST = "waiting_list", _("Waiting list")
    FULL = "full", _("Full")
    PAUSED = "paused", _("Paused")


class Cost(models.TextChoices):
    FREE = "free", _("Free")
    CONTRIBUTION = "contribution", _("Contribution")


class Access(models.TextChoices):
    DROP_IN = "drop_in", _("Drop-in, no appointment")
    APPOINTMENT = "appointment", _("By appointment")
    REFERRAL_ONLY = "referral_only", _("On referral only")


# The languages an offer's text is written in: Brussels' two official languages and English.
# The order is the fallback order after the reader's own language.
TEXT_LANGUAGES = ("fr", "nl", "en")


def reader_language(language: str | None = None) -> str:
    language = (language or get_language() or "fr")[:2]
    return language if language in TEXT_LANGUAGES else "fr"


# What the page says when it shows a text in another language than the reader's: whole
# sentences, as each language names the others in its own grammar.
FALLBACK_NOTICES = {
    ("fr", "nl"): _("Shown in French: there is no Dutch version."),
    ("fr", "en"): _("Shown in French: there is no English version."),
    ("nl", "fr"): _("Shown in Dutch: there is no French version."),
    ("nl", "en"): _("Shown in Dutch: there is no English version."),
    ("en", "fr"): _("Shown in English: there is no French version."),
    ("en", "nl"): _("Shown in English: there is no Dutch version."),
}


@dataclass(frozen=True)
class ShownText:
    """A text in the reader's language, or in the first other language it exists in."""

    text: str
    language: str
    wanted: str

    @property
    def fell_back(self) -> bool:
        return bool(self.text) and self.language != self.wanted

    @property
    def notice(self) -> str:
        return str(FALLBACK_NOTICES[(self.language, self.wanted)]) if self.fell_back else ""

    def __str__(self) -> str:
        return self.text


def shown_in(versions: dict[str, str], language: str | None = None) -> ShownText:
    """versions: {"fr": …, "nl": …, "en": …}, some blank."""
    wanted = reader_language(language)
    for code in (wanted, *TEXT_LANGUAGES):
        if versions.get(code):
            return ShownText(versions[code], code, wanted)
    return ShownText("", wanted, wanted)


class NeedDomain(Timestamped):
    """A term of the coordination's need-domain taxonomy, kept as data."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    label_fr = models.CharField(_("label (French)"), max_length=120)
    label_nl = models.CharField(_("label (Dutch)"), max_length=120)
    label_en = models.CharField(_("label (English)"), max_length=120)
    is_local = models.BooleanField(_("local term"), default=False)
    position = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("need domain")

    def __str__(self) -> str:
        return self.label()

    def label(self, language: str | None = None) -> str:
        language = (language or get_language() or "fr")[:2]
        return {"nl": self.label_nl, "en": self.label_en}.get(language, self.label_fr)


class Organisation(Timestamped):
    """An organisation as it acts in this coordination (an organisation active in two
    coordinations has a row in each schema, and its offers may differ)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    name_nl = models.CharField(
        _("name in Dutch"),
        max_length=200,
        blank=True,
        help_text=_("Where the organisation has an official Dutch name (Brussels). Empty: the same name."),
    )
    kind = models.CharField(_("kind"), max_length=24, choices=OrganisationKind.choices)
    enterprise_number = models.CharField(
        _("enterprise number (BCE/KBO)"), max_length=10, blank=True, help_text=_("Ten digits, e.g. 0403.019.261")
    )
    is_member = models.BooleanField(
        _("member of the coordination"),
        default=True,
        help_text=_("Members send and receive referrals; others are only listed in the directory."),
    )
    description = models.TextField(_("description"), blank=True)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=4, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    staff_languages = ArrayField(
        models.CharField(max_length=8), default=list, blank=True, verbose_name=_("languages spoken by the staff")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        constraints = [
            models.UniqueConstraint(Lower("name"), name="organisation_name_unique_ci"),
            models.CheckConstraint(
                condition=Q(enterprise_number="") | Q(enterprise_number__regex=r"^[01]\d{9}$"),
                name="organisation_enterprise_number_digits",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def shown_name(self, language: str | None = None) -> str:
        """The Dutch name to a Dutch reader when there is one; otherwise the name."""
        if reader_language(language) == "nl" and self.name_nl:
            return self.name_nl
        return self.name


class Location(Timestamped):
    """A place where an organisation receives people (HSDS location)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="locations")
    name = models.CharField(_("name"), max_length=200, blank=True)
    street = models.CharField(_("street and number"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=4)
    city = models.CharField(_("city"), max_length=100)

    class Meta:
        ordering = ["city", "street"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "street", "postcode"], name="location_once_per_address"),
            models.CheckConstraint(condition=Q(postcode__regex=r"^\d{4}$"), name="location_postcode_four_digits"),
        ]

    def __str__(self) -> str:
        return f"{self.street}, {self.postcode} {self.city}"


class Offer(Timestamped):
    """What an organisation offers newcomers (HSDS service)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="offers")
    # title and description: the first version given in TEXT_LANGUAGES order, kept by the
    # services for the lists, sorting and papers that show one title whatever the reader.
    title = models.CharField(_("title"), max_length=200, editable=False)
    description = models.TextField(_("description"), blank=True, editable=False)
    title_fr = models.CharField(_("title in French"), max_length=200, blank=True)
    title_nl = models.CharField(_("title in Dutch"), max_length=200, blank=True)
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    description_fr = models.TextField(_("description in French"), blank=True)
    description_nl = models.TextField(_("description in Dutch"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    primary_domain = models.ForeignKey(
        NeedDomain, on_delete=models.PROTECT, related_name="primary_offers", verbose_name=_("main need domain")
    )
    secondary_domains = models.ManyToManyField(
        NeedDomain, blank=True, related_name="secondary_offers", verbose_name=_("other need domains")
    )
    target_statuses = ArrayField(
        models.CharField(max_length=32, choices=ResidenceStatus.choices),
        default=list,
        blank=True,
        verbose_name=_("public (statuses)"),
        help_text=_("Empty: open to everyone."),
    )
    age_min = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    eligibility = models.TextField(_("other eligibility conditions"), blank=True)
    languages = ArrayField(
        models.CharField(max_length=8), default=list, blank=True, verbose_name=_("languages the service is given in")
    )
    interpretation_available = models.BooleanField(_("interpretation available"), default=False)
    locations = models.ManyToManyField(Location, blank=True, related_name="offers", verbose_name=_("places"))
    is_online = models.BooleanField(_("online"), default=False)
    online_url = models.URLField(_("online address"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    schedule_notes = models.TextField(_("notes on opening hours"), blank=True)
    capacity_status = models.CharField(
        _("capacity"), max_length=16, choices=CapacityStatus.choices, default=CapacityStatus.OPEN
    )
    waiting_weeks = models.PositiveSmallIntegerField(
        _("waiting time (weeks)"), null=True, blank=True, validators=[MaxValueValidator(104)]
    )
    cost = models.CharField(_("cost"), max_length=16, choices=Cost.choices, default=Cost.FREE)
    cost_note = models.CharField(_("cost details"), max_length=200, blank=True)
    access = models.CharField(_("access"), max_length=16, choices=Access.choices, default=Access.APPOINTMENT)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    last_verified_at = models.DateTimeField(_("last verified"), default=timezone.now)
    last_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, db_constraint=False, null=True, blank=True, related_name="+"
    )
    last_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["title"]
        verbose_name = _("offer")
        indexes = [
            GinIndex(fields=["search_vector"], name="offer_search_gin"),
            GinIndex(fields=["languages"], name="offer_languages_gin"),
            GinIndex(fields=["target_statuses"], name="offer_statuses_gin"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_until__gte=F("valid_from")),
                name="offer_validity_ordered",
            ),
            models.CheckConstraint(
                condition=Q(age_max__isnull=True) | Q(age_min__isnull=True) | Q(age_max__gte=F("age_min")),
                name="offer_age_range_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(title_fr="") | ~Q(title_nl="") | ~Q(title_en=""), name="offer_has_a_title"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def titles(self) -> dict[str, str]:
        return {code: getattr(self, f"title_{code}") for code in TEXT_LANGUAGES}

    def descriptions(self) -> dict[str, str]:
        return {code: getattr(self, f"description_{code}") for code in TEXT_LANGUAGES}

    def shown_title(self, language: str | None = None) -> ShownText:
        return shown_in(self.titles(), language)

    def shown_description(self, language: str | None = None) -> ShownText:
        return shown_in(self.descriptions(), language)

    def target_status_labels(self) -> list[str]:
        return [ResidenceStatus(code).label for code in self.target_statuses if code in ResidenceStatus.values]


class Weekday(models.IntegerChoices):
    MONDAY = 1, _("Monday")
    TUESDAY = 2, _("Tuesday")
    WEDNESDAY = 3, _("Wednesday")
    THURSDAY = 4, _("Thursday")
    FRIDAY = 5, _("Friday")
    SATURDAY = 6, _("Saturday")
    SUNDAY = 7, _("Sunday")


class OpeningHours(Timestamped):
    """One opening slot of an offer in the week (HSDS schedule, weekly)."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(
        _("day"), choices=Weekday.choices, validators=[MinValueValidator(1), MaxValueValidator(7)]
    )
    opens_at = models.TimeField(_("opens at"))
    closes_at = models.TimeField(_("closes at"))

    class Meta:
        ordering = ["weekday", "opens_at"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=F("opens_at")), name="opening_closes_after_opening"),
            models.CheckConstraint(condition=Q(weekday__gte=1) & Q(weekday__lte=7), name="opening_weekday_range"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens_at:%H:%M}–{self.closes_at:%H:%M}"


class ThesaurusEntry(Timestamped):
    """Words people type for the same thing, in any language (an abbreviation, its French
    and Dutch names, the English words), and the need domains they point to. Seeded with
    the sector's words; coordinators add their own."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    domains = models.ManyToManyField(NeedDomain, blank=True, related_name="+", verbose_name=_("need domains"))
    is_local = models.BooleanField(_("added by the coordination"), default=False)

    class Meta:
        verbose_name = _("thesaurus entry")
        verbose_name_plural = _("thesaurus entries")


class ThesaurusTerm(Timestamped):
    """One way of writing an entry's meaning. `key` is the term as the search compares it
    (directory.search.fold): a key belongs to one entry only."""

    entry = models.ForeignKey(ThesaurusEntry, on_delete=models.CASCADE, related_name="terms")
    text = models.CharField(_("term"), max_length=80)
    key = models.CharField(max_length=80, unique=True)

    class Meta:
        ordering = ["text"]

    def __str__(self) -> str:
        return self.text


class SearchWord(models.Model):
    """The words of the directory (offers' titles and descriptions, organisations' names,
    need domains' labels, thesaurus terms), unaccented and lower-case: what a misspelt word
    is corrected to. Derived from those rows and rebuilt with them, so no timestamps; a word
    left behind by a changed offer only widens a correction that then matches nothing."""

    word = models.CharField(max_length=60, primary_key=True)

    class Meta:
        indexes = [GinIndex(fields=["word"], opclasses=["gin_trgm_ops"], name="search_word_trgm")]

    def __str__(self) -> str:
        return self.word
