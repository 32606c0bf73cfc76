"""The shared notes' part of a person's timeline (MAILLAGE_PERSON_TIMELINE): the current
version of every note the reader may read, through referrals.notes.selectors (a retracted
note keeps its place, never its text)."""

from datetime import datetime

from django.utils import translation
from django.utils.translation import gettext as _

from maillage import timeline
from maillage.actor import Actor
from maillage.timeline import Detail, Entry
from referrals.models import NoteAudience
from referrals.notes import selectors


def entries(*, actor: Actor, person, now: datetime) -> list[Entry]:
    language = translation.get_language() or "fr"
    notes = selectors.notes_visible_to(actor=actor, person=person).select_related("domain")
    return [_entry(note, language) for note in notes]


def _entry(note, language: str) -> Entry:
    details = [
        Detail(_("Need domain"), note.domain.label(language)),
        Detail(_("Shared with"), NoteAudience(note.audience).label),
        Detail(_("Written by"), note.author_name or ""),
    ]
    if note.sensitive:
        details.append(Detail(_("Sensitive"), _("health, violence")))
    if note.version > 1:
        details.append(Detail(_("Version"), str(note.version)))
    if note.retracted_at:
        text = _("Retracted on %(date)s.") % {"date": timeline.short_date(note.retracted_at)}
    else:
        text = note.shown_text or ""
    return Entry(
        kind=timeline.NOTE,
        key=f"note-{note.public_id}",
        at=note.created_at,
        title=_("Note by %(org)s") % {"org": note.organisation_name},
        text=text,
        details=tuple(details),
        path=f"referrals/{note.referral_public_id}/#notes" if note.referral_public_id else "",
        public_id=note.public_id,
    )
