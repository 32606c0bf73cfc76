"""Referrals sent this month in Schaerbeek, with the month's indicators computed."""

import pytest
from django.db import connection
from django.utils import timezone

from regions.indicators import compute, parse_period
from tests.factories import ReferralFactory


@pytest.fixture
def send_referrals(tenant_db):
    """send_referrals(count): BAPA → CPAS referrals sent now; returns the month computed ("2026-11")."""

    def _send(count: int) -> str:
        ReferralFactory.create_batch(count, status="sent")
        connection.set_schema_to_public()
        now = timezone.now()
        label = f"{now.year}-{now.month:02d}"
        compute(parse_period(label))
        return label

    return _send
