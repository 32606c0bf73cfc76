"""Platform administration of coordinations (public schema only). Here rather than in
tenants/admin.py because adding one runs members.provisioning (lead organisation, first
coordinator)."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from directory.models import OrganisationKind
from maillage.actor import Actor
from maillage.errors import DomainError
from maillage.forms import add_domain_error
from members.provisioning import CommuneInput, provision_coordination
from tenants.models import Coordination, CoordinationCommune, Region


class ProvisionForm(forms.Form):
    name = forms.CharField(label=_("Name"))
    name_nl = forms.CharField(
        label=_("Name in Dutch"), required=False, help_text=_("Where the commune has two official names.")
    )
    slug = forms.SlugField(label=_("Slug"))
    region = forms.ChoiceField(label=_("Region"), choices=Region.choices)
    communes = forms.CharField(
        label=_("Communes"),
        help_text=_(
            "One per line: name;NIS code, then ;Dutch name where the commune has two (e.g. Schaerbeek;21015;Schaarbeek)"
        ),
        widget=forms.Textarea,
    )
    lead_organisation_name = forms.CharField(label=_("Lead organisation"))
    lead_organisation_kind = forms.ChoiceField(label=_("Kind of lead organisation"), choices=OrganisationKind.choices)
    coordinator_email = forms.EmailField(label=_("First coordinator's e-mail"))
    coordinator_name = forms.CharField(label=_("First coordinator's name"), required=False)


class CommuneInline(admin.TabularInline):
    model = CoordinationCommune
    extra = 0


@admin.register(Coordination)
class CoordinationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "region", "lead_organisation_name", "is_active"]
    list_filter = ["region", "is_active"]
    fields = [
        "name",
        "name_nl",
        "region",
        "lead_organisation_name",
        "referral_response_working_days",
        "registration_deadline_months",
        "referral_routing",
        "is_active",
    ]
    inlines = [CommuneInline]

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(schema_name="public")

    def has_delete_permission(self, request, obj=None):
        return False  # a coordination is deactivated, never dropped from here

    def add_view(self, request, form_url="", extra_context=None):
        """Adding a coordination runs the provisioning service (schema, lead organisation,
        first coordinator)."""
        from django.shortcuts import redirect
        from django.template.response import TemplateResponse

        form = ProvisionForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            communes = []
            for line in data["communes"].splitlines():
                if line.strip():
                    name, _sep, rest = line.partition(";")
                    nis, _sep, name_nl = rest.partition(";")
                    communes.append(CommuneInput(name=name.strip(), nis_code=nis.strip(), name_nl=name_nl.strip()))
            try:
                coordination = provision_coordination(
                    actor=Actor(
                        user=request.user,
                        membership=None,
                        organisation=None,
                        coordination=None,
                        request_id=getattr(request, "request_id", None),
                    ),
                    name=data["name"],
                    name_nl=data["name_nl"],
                    slug=data["slug"],
                    region=data["region"],
                    communes=communes,
                    lead_organisation_name=data["lead_organisation_name"],
                    lead_organisation_kind=data["lead_organisation_kind"],
                    coordinator_email=data["coordinator_email"],
                    coordinator_name=data["coordinator_name"],
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Coordination %(name)s created.") % {"name": coordination.name})
                return redirect("admin:tenants_coordination_changelist")
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "title": _("Provision a coordination"),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/tenants/provision.html", context)
