"""Platform administration of accounts (public schema only). Coordinations are
administered from members/admin.py, whose "add" runs the provisioning."""

from django.contrib import admin

from tenants.models import RegionalAdministrator, User


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["email", "full_name", "is_active", "is_staff"]
    search_fields = ["email", "full_name"]
    fields = ["email", "full_name", "preferred_language", "is_active", "is_staff"]

    def has_delete_permission(self, request, obj=None):
        # Coordinations' rows name accounts without a database constraint (tenants/schemas.py):
        # an account is deactivated, never deleted.
        return False


@admin.register(RegionalAdministrator)
class RegionalAdministratorAdmin(admin.ModelAdmin):
    list_display = ["user", "region"]
    list_filter = ["region"]
