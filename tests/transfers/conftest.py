"""A family followed in Tournai by the CPAS de Tournai (the foreigner persona) moves to
Schaerbeek, where the BAPA (VIA, the bapa_worker persona) is asked to take over.

Facts of the dataset:
- Amina Haddad's file in Tournai is complete (identity and situation filled); she registered
  in the commune 40 days ago, so her programme deadline, reckoned in Wallonia (3 months), is
  about 50 days ahead; in Brussels (6 months) it would be some 140 days ahead.
- Her consent names VIA in Schaerbeek as an organisation elsewhere and shares identity and
  situation; it names no organisation of Tournai.
- The transfer waits for VIA's answer.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from tests.factories import ConsentFactory, PersonFactory
from transfers.services import start_transfer


@pytest.fixture
def family(tenant_db):
    world = tenant_db
    via = world["bapa_worker"].organisation_public_id
    person = PersonFactory(
        actor="foreigner",
        complete=True,
        commune_registration_date=timezone.localdate() - timedelta(days=40),
        programme_registration_date=None,
    )
    consent = ConsentFactory(
        actor="foreigner",
        person=person,
        recipients=[],
        recipients_elsewhere=[f"schaerbeek/{via}"],
        categories=["identity", "situation"],
        purpose="Déménagement à Schaerbeek",
    )
    with schema_context("tournai"):
        transfer = start_transfer(
            actor=world["foreigner"].actor(),
            person=person,
            coordination_slug="schaerbeek",
            organisation_public_id=via,
        )
    return {"person": person, "consent": consent, "transfer": transfer}
