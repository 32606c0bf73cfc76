"""Schaerbeek's demo meetings and plan: complete, and loading twice changes nothing."""

from datetime import timedelta

from django.utils import timezone
from django_tenants.utils import schema_context

from demo.meetings import load_meetings_demo
from meetings.models import Action, Meeting, Objective


def test_demo_gives_schaerbeek_meetings_actions_and_a_plan_once(tenant_db):
    assert load_meetings_demo(tenant_db.schaerbeek) == 3
    assert load_meetings_demo(tenant_db.tournai) == 0
    today = timezone.localdate()
    with schema_context("schaerbeek"):
        now = timezone.now()
        past = list(Meeting.objects.filter(starts_at__lt=now))
        assert len(past) == 2
        assert all(m.minutes and m.attendances.exists() and m.decisions.exists() for m in past)
        assert Meeting.objects.filter(starts_at__gt=now).count() == 1
        open_actions = Action.objects.filter(status="open")
        assert open_actions.filter(due_on__lt=today).exists()
        assert open_actions.filter(due_on__gte=today, due_on__lte=today + timedelta(days=3)).exists()
        assert Objective.objects.count() == 3
        assert Action.objects.filter(objective__isnull=False).count() >= 3
        counts = (Meeting.objects.count(), Action.objects.count(), Objective.objects.count())
    assert load_meetings_demo(tenant_db.schaerbeek) == 0
    with schema_context("schaerbeek"):
        assert (Meeting.objects.count(), Action.objects.count(), Objective.objects.count()) == counts
