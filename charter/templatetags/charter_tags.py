"""{% charter_status %}: on the coordination's overview, whether the actor's organisation
may send and receive referrals under the charter, and the coordinators' waiting requests."""

from django import template

from charter import policies, selectors

register = template.Library()


@register.inclusion_tag("charter/_status.html", takes_context=True)
def charter_status(context):
    actor = context.get("actor")
    if actor is None or actor.membership is None:
        return {"show": False}
    current = selectors.current_charter()
    adopted = True
    if current is not None and actor.organisation is not None:
        adopted = not selectors.unadopted([actor.organisation])[1]
    return {
        "show": True,
        "coordination": context.get("coordination"),
        "organisation": actor.organisation,
        "current": current,
        "adopted": adopted,
        "can_decide": policies.can_decide_membership(actor),
        "pending_requests": selectors.pending_request_count(actor=actor),
    }
