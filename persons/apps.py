from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PersonsConfig(AppConfig):
    """The file an organisation keeps on a person it follows, and the person's households."""

    name = "persons"
    verbose_name = _("Persons and households")
