from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    """Memberships and invitations, inside each coordination's schema."""

    name = "members"
    label = "members"
    verbose_name = _("Members")
