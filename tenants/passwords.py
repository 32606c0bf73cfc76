"""Consequences of a password change that are not rules on the password itself."""

from django.utils.translation import gettext as _

from maillage.actor import Actor
from tenants.services import revoke_api_tokens


class RevokeApiTokensOnChange:
    """Listed in AUTH_PASSWORD_VALIDATORS for Django's password_changed() call, which every
    change makes (reset, admin, changepassword, set_password then save) and a hash upgrade at
    sign-in does not. Whoever learnt the old password may have issued tokens with it."""

    def validate(self, password, user=None) -> None:
        return None

    def password_changed(self, password, user=None) -> None:
        if user is None or user.pk is None:
            return
        revoke_api_tokens(
            actor=Actor(user=user, membership=None, organisation=None, coordination=None),
            user=user,
            reason="password_changed",
        )

    def get_help_text(self) -> str:
        return _("Changing your password revokes your API tokens.")
