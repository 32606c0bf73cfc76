"""What each audit action code means, for people: one label per code, in one table.

Codes are written by the services of every app (`record_event(action=...)`); this table
is where they are named for the coordinators who read the trail, so a translator finds
them all in one place. A code missing here is shown as it is (tests/audit checks that
every code written in the source has a label). A referral's change of state is written
as `referral.<new state>`.
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# The codes by section, as the filter of the trail's page groups them.
ACTION_SECTIONS: list[tuple[Promise, dict[str, Promise]]] = [
    (
        _("Accounts and API tokens"),
        {
            "account.api_token_issued": _("API token issued"),
            "account.api_token_revoked": _("API token revoked"),
            "account.api_tokens_revoked": _("All API tokens revoked"),
            "account.recovery_codes_issued": _("Recovery codes issued"),
            "account.recovery_code_used": _("Recovery code used to sign in"),
        },
    ),
    (
        _("The audit trail"),
        {
            "audit.exported": _("Audit trail exported"),
        },
    ),
    (
        _("The coordination"),
        {
            "coordination.provisioned": _("Coordination created"),
            "coordination.harvesting_on": _("Directory harvesting turned on"),
            "coordination.harvesting_off": _("Directory harvesting turned off"),
            "coordination.harvesting_token_issued": _("Harvesting token issued"),
            "coordination.harvesting_token_revoked": _("Harvesting token revoked"),
            "join_link.renewed": _("Join link renewed"),
            "regional_admin.set": _("Regional administrator appointed"),
            "region.compute_started": _("Regional indicators computed"),
            "region.exported": _("Regional indicators exported"),
        },
    ),
    (
        _("Members"),
        {
            "member.added": _("Member added"),
            "member.invited": _("Member invited"),
            "member.deactivated": _("Member deactivated"),
            "invitation.accepted": _("Invitation accepted"),
            "invitation.resent": _("Invitation sent again"),
            "invitation.cancelled": _("Invitation cancelled"),
            "membership.digest_on": _("Weekly digest turned on"),
            "membership.digest_off": _("Weekly digest turned off"),
            "membership_request.created": _("Request to join received"),
            "membership_request.approved": _("Request to join approved"),
            "membership_request.refused": _("Request to join refused"),
            "digest.sent": _("Weekly digest sent"),
        },
    ),
    (
        _("Directory"),
        {
            "organisation.created": _("Organisation created"),
            "organisation.updated": _("Organisation updated"),
            "offer.created": _("Offer created"),
            "offer.updated": _("Offer updated"),
            "offer.verified": _("Offer verified"),
            "offer.reminder_sent": _("Reminder to verify offers sent"),
            "need_domain.added": _("Need domain added"),
            "thesaurus.entry_saved": _("Search thesaurus entry saved"),
            "thesaurus.entry_deleted": _("Search thesaurus entry deleted"),
            "directory.imported": _("Directory imported"),
            "directory.list_printed": _("List of useful addresses printed"),
        },
    ),
    (
        _("Charter"),
        {
            "charter.draft_created": _("Charter draft created"),
            "charter.draft_updated": _("Charter draft updated"),
            "charter.published": _("Charter published"),
            "charter.adopted": _("Charter adopted"),
        },
    ),
    (
        _("Files and households"),
        {
            "person.created": _("File created"),
            "person.updated": _("File updated"),
            "person.closed": _("File closed"),
            "person.reopened": _("File reopened"),
            "person.taken": _("File taken by a worker"),
            "person.handed_over": _("File handed over to a colleague"),
            "person.anonymised": _("File anonymised"),
            "person.read": _("File opened"),
            "person.listed": _("File shown in a list"),
            "person.access_report": _("Access report produced"),
            "household.created": _("Household created"),
            "household.member_added": _("Person added to a household"),
            "household.anonymised": _("Household anonymised"),
            "person.arrived": _("File opened on arrival from another coordination"),
            "person.moved": _("File marked moved to another coordination"),
        },
    ),
    (
        _("Consent"),
        {
            "consent.recorded": _("Consent recorded"),
            "consent.new_version": _("Consent renewed or changed"),
            "consent.withdrawn": _("Consent withdrawn"),
            "consent.withdrawn_in_part": _("Consent withdrawn in part"),
            "consent.expired": _("Consent expired"),
            "consent.form_printed": _("Consent form printed"),
            "consent.receipt_printed": _("Consent receipt printed"),
            "consent.proof_purged": _("Consent proof deleted"),
        },
    ),
    (
        _("Support plans"),
        {
            "plan.created": _("Support plan started"),
            "plan.read": _("Support plan read"),
            "plan.assessment_added": _("Assessment added to a support plan"),
            "plan.commitment_added": _("Commitment added to a support plan"),
            "plan.commitment_status_set": _("Commitment status changed"),
            "plan.piis_recorded": _("PIIS recorded"),
            "plan.piis_reviewed": _("PIIS review recorded"),
            "plan.review_held": _("Plan review recorded"),
            "plan.decision_added": _("Decision added to a plan review"),
            "plan.summary_printed": _("Plan summary printed"),
            "plan.anonymised": _("Support plan anonymised"),
            "plan.handed_over": _("Support plan handed over to another coordination"),
            "plan.arrived": _("Support plan received from another coordination"),
        },
    ),
    # Referrals: one code per state reached, then the other events.
    (
        _("Referrals and case notes"),
        {
            "referral.draft": _("Referral drafted"),
            "referral.sent": _("Referral sent"),
            "referral.received": _("Referral received"),
            "referral.appointment_proposed": _("Other appointment proposed"),
            "referral.proposal_accepted": _("Proposed appointment accepted"),
            "referral.proposal_declined": _("Proposed appointment declined"),
            "referral.accepted": _("Referral accepted"),
            "referral.declined": _("Referral declined"),
            "referral.in_progress": _("Referral in progress"),
            "referral.completed": _("Referral completed"),
            "referral.not_completed": _("Referral closed without completion"),
            "referral.cancelled": _("Referral cancelled"),
            "referral.consent_withdrawn": _("Referral closed: consent withdrawn"),
            "referral.triaged": _("Referral triaged"),
            "referral.taken": _("Referral taken by a worker"),
            "referral.handed_over": _("Referral handed over to a colleague"),
            "referral.read": _("Referral opened"),
            "referral.reminded": _("Reminder to answer a referral"),
            "referral.overdue": _("Referral past its answer deadline"),
            "referral.slip_printed": _("Appointment slip printed"),
            "note.added": _("Case note added"),
            "note.corrected": _("Case note corrected"),
            "note.retracted": _("Case note retracted"),
            "note.read": _("Case notes read"),
        },
    ),
    (
        _("Transfers between coordinations"),
        {
            "transfer.started": _("Transfer to another coordination started"),
            "transfer.offered": _("Transfer from another coordination received"),
            "transfer.accepted": _("Transfer accepted: file opened"),
            "transfer.declined": _("Transfer declined"),
            "transfer.cancelled": _("Transfer cancelled: consent no longer in force"),
            "transfer.handed_over": _("File handed over to another coordination"),
        },
    ),
    (
        _("Meetings and the action plan"),
        {
            "meeting.created": _("Meeting planned"),
            "meeting.updated": _("Meeting changed"),
            "meeting.cancelled": _("Meeting cancelled"),
            "action.created": _("Follow-up action created"),
            "action.updated": _("Follow-up action updated"),
            "action.status_changed": _("Follow-up action status changed"),
            "action.reminded": _("Reminder of a follow-up action"),
            "action.overdue_notified": _("Follow-up action past its due date"),
            "objective.created": _("Objective created"),
            "objective.updated": _("Objective updated"),
            "calendar_feed.created": _("Calendar feed created"),
            "calendar_feed.revoked": _("Calendar feed revoked"),
        },
    ),
]
ACTION_LABELS: dict[str, Promise] = {
    code: label for section, labels in ACTION_SECTIONS for code, label in labels.items()
}


def action_label(code: str) -> str:
    """The code's label in the active language; the code itself when it has none."""
    label = ACTION_LABELS.get(code)
    return str(label) if label is not None else code


def action_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The known actions for a select: (section, [(code, label), ...]) in the table's order,
    each section's actions sorted by label in the active language."""
    return [
        (str(section), sorted(((code, str(label)) for code, label in labels.items()), key=lambda p: p[1].lower()))
        for section, labels in ACTION_SECTIONS
    ]
