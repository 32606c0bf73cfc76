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
    """The referral page's notes and note form, for its context: the form offers the
    audiences the consent in force allows and says why the others are not offered."""
    if not _may_write_notes(actor, referral, view):
        return {"notes": _referral_notes(actor, referral) if view == "full" else [], "note_form": None}
    offered, refused = _audiences(actor, referral)
    values = [value for value, _label in offered]
    initial = NoteAudience.REFERRAL if NoteAudience.REFERRAL in values else next(iter(values), "")
    form = NoteForm(domains=referral.domains.all(), audiences=offered, initial={"audience": initial})
    return {
        "notes": _referral_notes(actor, referral),
        "note_form": form if offered else None,
        "refused_audiences": refused,
    }


def _audiences(actor, referral) -> tuple[list[tuple[str, str]], list]:
    """The audiences the consent allows for one of the referral's need domains at least
    (as form choices), and every audience and domain it does not allow, with the reason."""
    per_domain = [
        selectors.audience_choices(actor=actor, person=referral.person, domain=domain, referral=referral)
        for domain in referral.domains.all()
    ]
    offered, refused = [], []
    for index, (value, label) in enumerate(NoteAudience.choices):
        options = [choices[index] for choices in per_domain]
        if any(option.available for option in options):
            offered.append((value, label))
        refused.extend(option for option in options if not option.available and option not in refused)
    return offered, refused


def _referral_notes(actor, referral):
    """Notes on this referral, notes shared with every organisation the consent covers,
    and the actor's organisation's own notes on the person."""
    notes = selectors.notes_visible_to(actor=actor, person=referral.person)
    return notes.filter(
        Q(referral=referral) | Q(audience=NoteAudience.CONSENTED) | Q(audience=NoteAudience.ORGANISATION)
    ).select_related("author", "domain")


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
    """A note written from the referral's page, for the audience chosen (by default the
    referral's parties)."""
    actor = request.actor
    referral = referral_selectors.get_referral_for(actor=actor, public_id=public_id)
    view = referral_selectors.recipient_view(actor, referral)
    if not _may_write_notes(actor, referral, view):
        return HttpResponseForbidden()
    # Every audience is a choice here: the service refuses one the consent does not allow,
    # with the reason, which the page then shows.
    form = NoteForm(request.POST, domains=referral.domains.all(), audiences=NoteAudience.choices)
    if not form.is_valid():
        report_form_errors(request, form)
        return redirect("referral_detail", public_id=referral.public_id)
    audience = form.cleaned_data["audience"] or NoteAudience.REFERRAL
    try:
        services.add_note(
            actor=actor,
            person=referral.person,
            domain_code=form.cleaned_data["domain"],
            text=form.cleaned_data["text"],
            audience=audience,
            referral=referral if audience == NoteAudience.REFERRAL else None,
            sensitive=form.cleaned_data["sensitive"],
        )
    except (Invalid, Conflict) as error:
        messages.error(request, errors.text(error))
    else:
        messages.success(request, _("The note is added."))
    return redirect("referral_detail", public_id=referral.public_id)
