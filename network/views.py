"""The network map page: every active member of the coordination opens it (others get the
404 of the organisation wall before the view runs). Counts only, no person."""

from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from maillage.errors import Invalid
from network.map import last_twelve_months, parse_network_period
from network.selectors import network_map
from network.svg import network_svg

FIELDS = ("start", "end", "period")


def _description(network) -> str:
    period = network.period
    return " ".join(
        [
            ngettext(
                "%(n)s member organisation,",
                "%(n)s member organisations,",
                len(network.members),
            )
            % {"n": len(network.members)},
            ngettext(
                "%(n)s referral sent between them from %(start)s to %(end)s.",
                "%(n)s referrals sent between them from %(start)s to %(end)s.",
                network.total_sent,
            )
            % {"n": network.total_sent, "start": period.start.isoformat(), "end": period.end.isoformat()},
            _(
                "Organisations are grouped by kind around a circle; arrows go from the sending organisation to the "
                "receiving one, thicker for more referrals. The same facts are in the tables below the map."
            ),
        ]
    )


def _today():
    return timezone.localdate()


def network_map_page(request):
    today = _today()
    try:
        period = parse_network_period(request.GET, today=today)
    except Invalid as error:
        context = {
            "errors": {name: [str(m) for m in messages] for name, messages in error.fields.items()},
            "values": {name: (request.GET.get(name) or "").strip() for name in FIELDS},
            "default_period": last_twelve_months(today),
        }
        return render(request, "network/map.html", context, status=400)
    network = network_map(actor=request.actor, period=period, today=today)
    svg = network_svg(
        network,
        chart_id="network-map",
        title=_("Referral flows between the member organisations, %(start)s to %(end)s")
        % {"start": period.start.isoformat(), "end": period.end.isoformat()},
        description=_description(network),
    )
    context = {
        "network": network,
        "period": period,
        "svg": mark_safe(svg),  # noqa: S308 - built by network_svg, every text escaped
        "values": {"start": period.start.isoformat(), "end": period.end.isoformat(), "period": period.code},
        "errors": {},
        "default_period": last_twelve_months(today),
    }
    return render(request, "network/map.html", context)
