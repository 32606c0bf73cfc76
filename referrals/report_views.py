"""The access report (GDPR article 15) for a person, printed in the person's language."""

from django.conf import settings
from django.shortcuts import render
from django.utils import translation

from directory.languages import language_name
from referrals import selectors
from referrals.access_report import access_report_for

FALLBACK_LANGUAGE = "fr"


def access_report(request, public_id):
    actor = request.actor
    person = selectors.get_person_for(actor=actor, public_id=public_id)
    wanted = (request.GET.get("lang") or person.preferred_language or FALLBACK_LANGUAGE).lower()[:12]
    language = wanted if wanted in dict(settings.LANGUAGES) else FALLBACK_LANGUAGE
    with translation.override(language):
        report = access_report_for(actor=actor, person=person)
        return render(
            request,
            "referrals/access_report.html",
            {
                "report": report,
                "print_language": language,
                "missing_language": language_name(wanted, FALLBACK_LANGUAGE) if wanted != language else "",
            },
        )
