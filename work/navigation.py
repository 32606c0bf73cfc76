"""The main menu of a coordination's pages, grouped by task. A link is listed only for an
actor whose role may use the page: each is decided by the rule its page applies (the
apps' policies), so the menu and the pages cannot disagree."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from audit.policies import can_read_audit_trail
from directory import policies as directory_policies
from maillage.actor import Actor
from members import policies as member_policies
from referrals import policies as referral_policies
from regions import policies as region_policies


@dataclass(frozen=True)
class Link:
    label: str
    path: str  # below the coordination's URL
    # "inbox" and "notifications" carry the counts the frame computes (context processors).
    count: str = ""


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    links: tuple[Link, ...]


def menu(actor: Actor, coordination) -> list[Group]:
    """The groups with at least one link for this actor, in the order of a day's work."""
    reads = member_policies.can_read_personal_data(actor)
    own = actor.organisation
    groups = [
        Group(
            "work",
            _("My work"),
            (
                Link(_("My work"), "work/"),
                Link(_("Notifications"), "notifications/", count="notifications"),
            ),
        ),
        Group(
            "persons",
            _("Persons"),
            (Link(_("Persons"), "persons/"), Link(_("Families moving"), "transfers/")) if reads else (),
        ),
        Group(
            "referrals",
            _("Referrals"),
            tuple(
                link
                for link, shown in (
                    (Link(_("Inbox"), "referrals/inbox/", count="inbox"), reads),
                    (Link(pgettext_lazy("menu", "Sent"), "referrals/outbox/"), member_policies.can_open_files(actor)),
                    (
                        Link(_("Triage"), "referrals/triage/"),
                        referral_policies.can_triage(actor) and coordination.referral_routing == "triage",
                    ),
                )
                if shown
            ),
        ),
        Group(
            "directory",
            _("Directory"),
            tuple(
                link
                for link, shown in (
                    (Link(_("Search offers"), "directory/"), True),
                    (
                        Link(_("Our offers"), "directory/mine/"),
                        own is not None and directory_policies.can_edit_offers_of(actor, own),
                    ),
                    (Link(_("Organisations"), "directory/organisations/"), True),
                    (Link(_("Coverage"), "directory/coverage/"), directory_policies.can_see_coverage(actor)),
                    (
                        Link(_("Import and export"), "directory/import/"),
                        directory_policies.can_manage_organisations(actor),
                    ),
                    (Link(_("Harvesting"), "directory/harvesting/"), directory_policies.can_manage_harvesting(actor)),
                )
                if shown
            ),
        ),
        Group(
            "coordination",
            _("Coordination"),
            tuple(
                link
                for link, shown in (
                    (Link(_("Overview"), ""), True),
                    (Link(_("Members"), "members/"), True),
                    (Link(_("Meetings"), "meetings/"), True),
                    (Link(_("Network map"), "network/"), True),
                    (Link(_("Charter"), "charter/"), True),
                    (Link(_("Indicators"), "indicators/"), region_policies.can_see_coordination_indicators(actor)),
                    (Link(_("Audit trail"), "audit/"), can_read_audit_trail(actor)),
                )
                if shown
            ),
        ),
    ]
    return [group for group in groups if group.links]
