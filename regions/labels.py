"""Names in the reader's language for the regional comparison: what each indicator means,
and the names of the codes its breakdowns use (need domains, statuses, kinds of
organisation, languages). The page, its exports and the API read them from here."""

import importlib

from django.utils.translation import get_language, gettext_lazy

from maillage.languages import language_name
from regions import indicators

# A sentence per indicator, shown with its label next to the comparison table. An
# indicator may carry its own ("definition"); the label says the rest.
EXPLANATIONS = {
    "member_organisations": gettext_lazy(
        "Organisations that are members of the coordination (they send and receive referrals), by kind."
    ),
    "cpas_referent_designated": gettext_lazy(
        "1 when at least one active account holds the CPAS reference person role, 0 otherwise."
    ),
    "open_offers": gettext_lazy(
        "Offers taking people or with a waiting list and still valid at the end of the period, "
        "by their main need domain."
    ),
    "referrals_sent": gettext_lazy("Referrals sent during the period; the breakdown gives their status today."),
    "referrals_overdue": gettext_lazy(
        "Referrals sent during the period that were answered after the deadline, or are still unanswered."
    ),
    "days_to_response_median": gettext_lazy(
        "Half of the answered referrals got their answer within this many days (from at least 5 answers)."
    ),
    "days_to_response_p90": gettext_lazy(
        "Nine answered referrals out of ten got their answer within this many days (from at least 5 answers)."
    ),
    "consents_in_force": gettext_lazy(
        "Consents given, not expired, not withdrawn and not replaced on the last day of the period."
    ),
    "active_accounts": gettext_lazy("Accounts with an active membership in the coordination today."),
}
# Receiving organisations grouped by kind (referrals_by_recipient_kind).
RECIPIENT_GROUPS = {
    "cpas": gettext_lazy("CPAS"),
    "bapa_cri": gettext_lazy("BAPA or CRI"),
    "association": gettext_lazy("association"),
    "other": gettext_lazy("other"),
}

# The taxonomy every coordination starts with (codes and labels), kept with its seed.
_SEEDED_DOMAINS = importlib.import_module("directory.migrations.0003_seed_need_domains").DOMAINS


def _domain_labels() -> dict[str, str]:
    column = {"fr": 1, "nl": 2, "en": 3}.get((get_language() or "fr")[:2], 1)
    return {row[0]: row[column] for row in _SEEDED_DOMAINS}


def definition_of(code: str) -> str:
    return str(indicators.INDICATORS[code].get("definition") or EXPLANATIONS.get(code, ""))


class DimensionLabels:
    """Names of breakdown dimensions in the reader's language (need domains, statuses,
    kinds of organisation, languages), looked up once per request."""

    def __init__(self):
        self.domains = _domain_labels()
        self.language = get_language() or "fr"
        self._statuses = {code: str(label) for code, label in indicators.REFERRAL_STATUS_LABELS.items()}
        self._kinds = {code: str(label) for code, label in indicators.ORGANISATION_KIND_LABELS.items()}
        self._groups = {code: str(label) for code, label in RECIPIENT_GROUPS.items()}
        self._languages: dict[str, str] = {}

    def label(self, indicator: str, code: str) -> str:
        if "languages" in indicator:
            if code not in self._languages:
                self._languages[code] = language_name(code, self.language)
            return self._languages[code]
        if indicator == "referrals_by_recipient_kind" and code in self._groups:
            return self._groups[code]
        return self.domains.get(code) or self._statuses.get(code) or self._kinds.get(code) or code

    def breakdown(self, indicator: str, cells: dict) -> str:
        if not cells or list(cells) == [""]:
            return ""
        return " · ".join(f"{self.label(indicator, code)} {cell.shown}" for code, cell in cells.items())
