"""Reads of the directory."""

from django.db.models import QuerySet

from directory.models import Organisation
from maillage.actor import Actor


def member_organisations(*, actor: Actor) -> QuerySet[Organisation]:
    """Organisations of the actor's coordination that take part in it."""
    return Organisation.objects.filter(is_member=True).order_by("name")
