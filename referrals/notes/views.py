"""The notes on a referral's page: the ones its parties share, and the form to add one.
The page itself is referrals.views.referral_detail; what the actor sees of the person
(`view`) is referrals.selectors.recipient_view."""

from django.contrib import messages
from django.db.models import Q
from django.http import HttpResponseForbidden
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maillage import errors
from maillage.errors import Conflict, Invalid
from maillage.forms import report_form_errors
from persons import policies as person_policies
from referrals import selectors as referral_selectors
from referrals.models import NoteAudience, ReferralStatus
from referrals.notes import selectors, services
from referrals.notes.forms import NoteForm


def notes_part(actor, referral, view: str) -> dict:
    """The referral page's notes and note form, for its context."""
    return {
        "notes": _referral_notes(actor, referral) if view == "full" else [],
        "note_form": NoteForm(domains=referral.domains.all()) if _may_write_notes(actor, referral, view) else None,
    }


def _referral_notes(actor, referral):
    """Notes on this referral, and notes shared with every organisation the consent covers."""
    notes = selectors.notes_visible_to(actor=actor, person=referral.person)
    return notes.filter(Q(referral=referral) | Q(audience=NoteAudience.CONSENTED)).select_related("author", "domain")


def _may_write_notes(actor, referral, view: str) -> bool:
    return (
        view == "full"
        and person_policies.can_open_files(actor)
        and referral.status
        not in (
            ReferralStatus.DRAFT,
            ReferralStatus.CONSENT_WITHDRAWN,
        )
    )


@require_POST
def referral_note_add(request, public_id):
    """A note for the parties of this referral."""
    actor = request.actor
    referral = referral_selectors.get_referral_for(actor=actor, public_id=public_id)
    view = referral_selectors.recipient_view(actor, referral)
    if not _may_write_notes(actor, referral, view):
        return HttpResponseForbidden()
    form = NoteForm(request.POST, domains=referral.domains.all())
    if not form.is_valid():
        report_form_errors(request, form)
        return redirect("referral_detail", public_id=referral.public_id)
    try:
        services.add_note(
            actor=actor,
            person=referral.person,
            domain_code=form.cleaned_data["domain"],
            text=form.cleaned_data["text"],
            audience=NoteAudience.REFERRAL,
            referral=referral,
            sensitive=form.cleaned_data["sensitive"],
        )
    except (Invalid, Conflict) as error:
        messages.error(request, errors.text(error))
    else:
        messages.success(request, _("The note is added."))
    return redirect("referral_detail", public_id=referral.public_id)
