"""The consents' part of a person's timeline (MAILLAGE_PERSON_TIMELINE): each consent the
reader may see (consent.selectors.consents_of: the file keeper every version, withdrawn,
replaced or expired; a recipient the ones that open the file to it now), when it was
given, withdrawn or ends, and the consent papers the reader's organisation printed."""

from datetime import datetime

from django.utils import translation
from django.utils.translation import gettext as _

from audit.selectors import printed_by_organisation
from consent.models import ConsentState
from consent.policies import can_record_consent
from consent.selectors import consents_of
from maillage import timeline
from maillage.actor import Actor
from maillage.timeline import Detail, Entry, Link

PRINTED = {"consent.form_printed": "form", "consent.receipt_printed": "receipt"}


def state_label(state: str) -> str:
    return {
        "given": _("in force"),
        "expired": _("expired"),
        ConsentState.WITHDRAWN: _("withdrawn"),
        ConsentState.SUPERSEDED: _("replaced"),
    }[state]


def entries(*, actor: Actor, person, now: datetime) -> list[Entry]:
    language = translation.get_language() or "fr"
    keeper = can_record_consent(actor, person)
    consents = list(consents_of(actor=actor, person=person))
    found = [entry for consent in consents for entry in _consent_entries(consent, keeper, now, language)]
    return found + _papers(actor, person, {c.public_id: c for c in consents})


def _consent_entries(consent, keeper: bool, now: datetime, language: str) -> list[Entry]:
    state = consent.display_state(now)
    version = {"v": consent.version}
    path = f"consents/{consent.public_id}/receipt/" if keeper else ""
    links = [Link(_("Receipt"), f"consents/{consent.public_id}/receipt/")] if keeper else []
    if keeper and state == ConsentState.GIVEN:
        links.append(Link(_("Withdraw"), f"consents/{consent.public_id}/withdraw/"))
    how = consent.get_method_display() + " · " + _("explained in") + " " + consent.explanation_language.upper()
    if consent.interpreter_used:
        how += " · " + _("interpreter") + ": " + consent.interpreter_name
    found = [
        Entry(
            kind=timeline.CONSENT,
            key=f"consent-{consent.public_id}",
            at=consent.given_at,
            title=_("Consent given (version %(v)s)") % version,
            status=state,
            status_label=state_label(state),
            next_step=_("In force until %(date)s.") % {"date": timeline.short_date(consent.expires_at)}
            if state == ConsentState.GIVEN
            else "",
            details=(
                Detail(_("Shared with"), ", ".join(o.name for o in consent.recipients.all())),
                Detail(_("For these needs"), ", ".join(d.label(language) for d in consent.domains.all())),
                Detail(_("Data shared"), ", ".join(str(label) for label in consent.category_labels())),
                Detail(
                    _("Valid"),
                    f"{timeline.short_date(consent.given_at)} – {timeline.short_date(consent.expires_at)}",
                ),
                Detail(_("How"), how),
            ),
            links=tuple(links),
            path=path,
            public_id=consent.public_id,
            open=state == ConsentState.GIVEN,
        )
    ]
    if consent.withdrawn_at:
        found.append(
            Entry(
                kind=timeline.CONSENT_WITHDRAWN,
                key=f"consent-withdrawn-{consent.public_id}",
                at=consent.withdrawn_at,
                title=_("Consent withdrawn (version %(v)s)") % version,
                text=consent.withdrawal_reason,
                path=path,
                public_id=consent.public_id,
            )
        )
    elif state in (ConsentState.GIVEN, "expired"):
        # Its end is a deadline while it is in force, and a fact once past.
        in_force = state == ConsentState.GIVEN
        ends = _("Consent ends (version %(v)s)") if in_force else _("Consent ended (version %(v)s)")
        found.append(
            timeline.on_day(
                kind=timeline.DEADLINE if in_force else timeline.CONSENT_ENDED,
                key=f"consent-ends-{consent.public_id}",
                day=timeline.local_day(consent.expires_at),
                title=ends % version,
                details=(Detail(_("Shared with"), ", ".join(o.name for o in consent.recipients.all())),),
                path=path,
                public_id=consent.public_id,
            )
        )
    return found


def _papers(actor: Actor, person, consents: dict) -> list[Entry]:
    """The consent forms and receipts the reader's organisation printed for the person."""
    titles = {"form": _("Consent form printed"), "receipt": _("Consent receipt printed")}
    found = []
    for event in printed_by_organisation(actor=actor, person_public_id=person.public_id, actions=PRINTED):
        paper = PRINTED[event.action]
        consent = consents.get(event.object_public_id) if paper == "receipt" else None
        if paper == "receipt" and consent is None:
            continue
        first = [Detail(_("Version"), str(consent.version))] if consent is not None else []
        found.append(
            Entry(
                kind=timeline.DOCUMENT,
                key=f"printed-{event.pk}",
                at=event.occurred_at,
                title=titles[paper],
                details=timeline.printed_details(event, *first),
            )
        )
    return found
