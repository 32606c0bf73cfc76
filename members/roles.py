"""Roles and role sets, declared once, as data. Every app may read this module (the import
contract allows it), and it imports nothing of the project.

A set names a permission, not a team: when a rule changes, one line changes, and every
policy that grants it follows.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    CPAS_REFERENT = "cpas_referent", _("CPAS reference person")
    WORKER = "worker", _("Social worker")
    VOLUNTEER = "volunteer", _("Volunteer")
    OBSERVER = "observer", _("Observer")


# Read a person's data (with consent), and so need a second factor. The same people adopt
# the data-sharing charter for their organisation (they are bound by it) and carry out the
# follow-up actions a meeting gives their organisation. Observers only read the network.
READS_PERSONAL_DATA = frozenset({Role.COORDINATOR, Role.CPAS_REFERENT, Role.WORKER, Role.VOLUNTEER})

# Open and keep the files of the persons their organisation follows, refer them, answer
# referrals (outside a CPAS), and edit their organisation's directory entry and offers.
# Volunteers help without keeping files.
KEEPS_FILES = frozenset({Role.COORDINATOR, Role.CPAS_REFERENT, Role.WORKER})

# At a CPAS, referrals land in one inbox shared by its reference persons; its
# coordinators answer too. Its other workers do not (the CPAS decides who takes a case).
ANSWERS_FOR_A_CPAS = frozenset({Role.CPAS_REFERENT, Role.COORDINATOR})
