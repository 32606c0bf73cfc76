"""Pages of the members app: the coordination's home, the member list, invitations and
deactivation."""

from django.contrib import messages
from django.http import Http404, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from directory.selectors import member_organisations
from maillage.actor import Actor, client_ip
from maillage.errors import DomainError
from maillage.forms import add_domain_error, confirm_page
from maillage.middleware import allow_non_members
from members import policies, selectors, services
from members.forms import AcceptInvitationForm, HandOverForm, InvitationForm


def coordination_home(request):
    return render(request, "members/coordination_home.html", {"can_manage": policies.can_manage_members(request.actor)})


def members(request):
    actor = request.actor
    can_manage = policies.can_manage_members(actor)
    form = None
    if can_manage:
        form = InvitationForm(request.POST or None, organisations=member_organisations(actor=actor))
        if request.method == "POST" and form.is_valid():
            try:
                services.invite_member(
                    actor=actor,
                    email=form.cleaned_data["email"],
                    organisation_public_id=form.cleaned_data["organisation"],
                    role=form.cleaned_data["role"],
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]})
                return redirect("members")
    elif request.method == "POST":
        return HttpResponseForbidden()
    status = 400 if form is not None and form.errors else 200
    return render(
        request,
        "members/members.html",
        {
            "members": selectors.members_visible_to(actor=actor),
            "invitations": selectors.pending_invitations(actor=actor),
            "form": form,
            "can_manage": can_manage,
        },
        status=status,
    )


@require_POST
def revoke_member_api_tokens(request, public_id):
    count = services.revoke_member_api_tokens(actor=request.actor, membership_public_id=public_id)
    message = ngettext("%(count)d API token revoked.", "%(count)d API tokens revoked.", count)
    messages.success(request, message % {"count": count})
    return redirect("members")


def deactivate_member(request, public_id):
    actor = request.actor
    if not policies.can_manage_members(actor):
        return HttpResponseForbidden()
    membership = selectors.get_membership_for(actor=actor, public_id=public_id)
    if not membership.is_active or membership.user_id == actor.user.pk:
        messages.error(request, _("This membership cannot be deactivated."))
        return redirect("members")
    name = membership.user.full_name or membership.user.email
    return confirm_page(
        request,
        perform=lambda: services.deactivate_member(actor=actor, membership_public_id=membership.public_id),
        done_message=_("The membership was deactivated."),
        done=lambda: redirect("members"),
        title=_("Deactivate %(name)s") % {"name": name},
        subject=f"{membership.organisation.name} — {membership.get_role_display()}",
        consequence=_(
            "%(name)s loses access to this coordination at once, in pages and through the API. "
            "Their history stays. Only a new invitation brings them back."
        )
        % {"name": name},
        button=_("Deactivate"),
        back=reverse("members"),
    )


@require_POST
def resend_invitation(request, public_id):
    issued = services.resend_invitation(actor=request.actor, invitation_public_id=public_id)
    messages.success(request, _("Invitation sent again to %(email)s.") % {"email": issued.invitation.email})
    return redirect("members")


@require_POST
def cancel_invitation(request, public_id):
    invitation = services.cancel_invitation(actor=request.actor, invitation_public_id=public_id)
    messages.success(request, _("The invitation to %(email)s is cancelled.") % {"email": invitation.email})
    return redirect("members")


@allow_non_members
def accept_invitation(request, token):
    try:
        invitation = services.open_invitation(token)
    except DomainError:
        raise Http404 from None
    signed_in = request.user.is_authenticated
    form = None if signed_in else AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and (signed_in or form.is_valid()):
        try:
            services.accept_invitation(
                actor=request.actor or _context_actor(request),
                token=token,
                user=request.user if signed_in else None,
                full_name="" if signed_in else form.cleaned_data["full_name"],
                password="" if signed_in else form.cleaned_data["password"],
            )
        except DomainError as error:
            if form is None:
                messages.error(request, error.message)
            else:
                add_domain_error(form, error)
        else:
            if not signed_in:
                messages.success(request, _("Your account is ready. Sign in to continue."))
                return redirect(f"/accounts/login/?next={request.tenant.url}")
            return redirect("coordination_home")
    return render(request, "members/invitation_accept.html", {"invitation": invitation, "form": form})


def _context_actor(request):
    return Actor(
        user=None,
        membership=None,
        organisation=None,
        coordination=request.tenant,
        request_id=request.request_id,
        ip_address=client_ip(request),
    )


def hand_over_page(request, *, roles, title: str, subject: str, hand_over, done, back: str):
    """The page that hands a referral or a file over to a colleague: the colleague is
    chosen among the active members of the actor's organisation in `roles`; `hand_over`
    (one service call, given the chosen membership) does the rest."""
    actor = request.actor
    colleagues = [m for m in selectors.colleagues_of(actor=actor, roles=roles) if m.user_id != actor.user.pk]
    form = HandOverForm(request.POST if request.method == "POST" else None, colleagues=colleagues)
    if form.is_bound and form.is_valid():
        member = selectors.get_colleague(actor=actor, roles=roles, public_id=form.cleaned_data["member"])
        try:
            hand_over(member)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                _("Handed over to %(name)s, who is told.") % {"name": member.user.full_name or member.user.email},
            )
            return done()
    context = {"form": form, "title": title, "subject": subject, "back": back, "colleagues": colleagues}
    return render(request, "members/hand_over.html", context, status=400 if form.errors else 200)
