"""Pages of transfers: start one from a file, the list of a member's transfers, one
transfer, and the receiving organisation's answer (a confirmation step: accepting opens a
file, declining cannot be undone)."""

from django.http import HttpResponseForbidden
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from consent.models import DataCategory
from maillage.errors import DomainError
from maillage.forms import add_domain_error, confirm_page
from members.policies import can_read_personal_data
from persons.selectors import get_person_for
from transfers import policies, selectors, services
from transfers.forms import StartTransferForm
from transfers.models import TransferState


def start_transfer(request, public_id):
    actor = request.actor
    person = get_person_for(actor=actor, public_id=public_id)
    if not policies.can_start_transfer(actor, person):
        return HttpResponseForbidden()
    data = request.POST if request.method == "POST" else (request.GET if "coordination" in request.GET else None)
    coordinations = list(selectors.destinations(actor=actor))
    chosen = selectors.destination_by_slug(actor=actor, slug=(data or {}).get("coordination", ""))
    organisations = selectors.receiving_organisations(actor=actor, coordination=chosen) if chosen else []
    form = StartTransferForm(data, coordinations=coordinations, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            services.start_transfer(
                actor=actor,
                person=person,
                coordination_slug=form.cleaned_data["coordination"],
                organisation_public_id=form.cleaned_data["organisation"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return redirect("person_detail", public_id=person.public_id)
    return render(
        request,
        "transfers/start.html",
        {
            "form": form,
            "person": person,
            "chosen": chosen,
            "transfers": selectors.transfers_of_person(actor=actor, person=person),
        },
        status=400 if form.errors else 200,
    )


def transfer_list(request):
    actor = request.actor
    if not can_read_personal_data(actor):
        return HttpResponseForbidden()
    return render(
        request,
        "transfers/transfer_list.html",
        {
            "incoming": selectors.incoming_transfers(actor=actor),
            "outgoing": selectors.outgoing_transfers(actor=actor),
        },
    )


def transfer_detail(request, public_id):
    actor = request.actor
    transfer = selectors.get_transfer_for(actor=actor, public_id=public_id)
    labels = dict(DataCategory.choices)
    return render(
        request,
        "transfers/transfer_detail.html",
        {
            "transfer": transfer,
            "categories": [labels.get(code, code) for code in transfer.categories],
            "incoming": transfer.destination_id == actor.coordination.pk,
            "can_answer": transfer.state == TransferState.PENDING and policies.can_answer_transfer(actor, transfer),
        },
    )


def accept_transfer(request, public_id):
    actor = request.actor
    transfer = selectors.get_transfer_for(actor=actor, public_id=public_id)
    if not policies.can_answer_transfer(actor, transfer):
        return HttpResponseForbidden()
    arrived = {}
    return confirm_page(
        request,
        perform=lambda: arrived.setdefault("person", services.accept_transfer(actor=actor, transfer=transfer)),
        done_message=_("The file is open in your organisation."),
        done=lambda: redirect("person_detail", public_id=arrived["person"].public_id),
        title=_("Accept the family's file"),
        subject=f"{transfer.origin_organisation_name} ({transfer.origin.name})",
        consequence=_(
            "A file opens in your organisation with what the person's consent lets cross, and the programme "
            "deadline as it was reckoned before the move. The organisation that followed the person keeps its "
            "file, marked moved. This cannot be undone."
        ),
        button=_("Accept and open the file"),
        back=reverse("transfer_detail", kwargs={"public_id": transfer.public_id}),
    )


def decline_transfer(request, public_id):
    actor = request.actor
    transfer = selectors.get_transfer_for(actor=actor, public_id=public_id)
    if not policies.can_answer_transfer(actor, transfer):
        return HttpResponseForbidden()
    return confirm_page(
        request,
        perform=lambda: services.decline_transfer(actor=actor, transfer=transfer),
        done_message=_("The transfer is declined; the organisation that sent it is told."),
        done=lambda: redirect("transfer_list"),
        title=_("Decline the transfer"),
        subject=f"{transfer.origin_organisation_name} ({transfer.origin.name})",
        consequence=_("Nothing of the person crosses. The organisation that sent it keeps following the person."),
        button=_("Decline"),
        back=reverse("transfer_detail", kwargs={"public_id": transfer.public_id}),
    )
