"""The roles of a membership, as data: every app may read this module, and it imports
nothing of the project."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    CPAS_REFERENT = "cpas_referent", _("CPAS reference person")
    WORKER = "worker", _("Social worker")
    VOLUNTEER = "volunteer", _("Volunteer")
    OBSERVER = "observer", _("Observer")
