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


def dashboard_with_parts(client, url: str, **headers) -> str:
    """The dashboard's HTML with its four heavy parts as the page's script fetches them
    into their <details> (appended in the order of the page)."""
    import re
    from urllib.parse import urljoin

    body = client.get(url, **headers).content.decode()
    for part_url in re.findall(r'data-part-url="([^"]+)"', body):
        part = urljoin(url, part_url.replace("&amp;", "&")) + "&fragment=1"
        response = client.get(part, **headers)
        assert response.status_code == 200, (part, response.status_code)
        body += response.content.decode()
    return body
