from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    """Coordination meetings, their follow-up actions and the local action plan."""

    name = "meetings"
    label = "meetings"
    verbose_name = _("Meetings and action plan")
