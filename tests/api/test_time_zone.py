"""Every date-time the API answers with is ISO 8601 in Brussels time with its offset
(+01:00 in winter, +02:00 in summer): one convention, whichever field or route."""

import re

from maillage.encoders import JSONEncoder

DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(?P<offset>Z|[+-]\d{2}:\d{2})?$")
BRUSSELS_OFFSETS = {"+01:00", "+02:00"}


def _datetimes(value, path="$"):
    """Every string in a JSON value that reads as a date-time, with where it is."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _datetimes(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _datetimes(item, f"{path}[{index}]")
    elif isinstance(value, str) and DATETIME.match(value):
        yield path, value


def _off_convention(body) -> list:
    return [(path, v) for path, v in _datetimes(body) if DATETIME.match(v)["offset"] not in BRUSSELS_OFFSETS]


def test_the_referral_journey_answers_in_brussels_time(tenant_db, token_client):
    world = tenant_db
    worker, referent = token_client(world["bapa_worker"]), token_client(world["cpas_referent"])
    api = "/c/schaerbeek/api/v1"
    cpas = str(world["cpas_referent"].organisation_public_id)
    bodies = []

    def keep(response, status=None):
        assert response.status_code < 400, response.json()
        bodies.append((response.request["PATH_INFO"], response.json() if response.content else None))
        return response.json() if response.content else None

    person = keep(worker.post(f"{api}/persons/", {"given_name": "Amina", "family_name": "Zone"}, format="json"))
    consent = keep(
        worker.post(
            f"{api}/persons/{person['id']}/consents/",
            {
                "recipients": [cpas],
                "domains": ["housing"],
                "categories": ["identity", "situation", "case_notes"],
                "purpose": "Logement",
                "method": "oral_witnessed",
                "witness_name": "Collègue",
                "explanation_language": "fr",
                "given_at": "2026-07-01T08:00:00Z",
            },
            format="json",
        )
    )
    referral = keep(
        worker.post(
            f"{api}/referrals/",
            {
                "person": person["id"],
                "to_organisation": cpas,
                "domains": ["housing"],
                "reason": "Logement",
                "send": True,
                # Sent in UTC, in summer and in winter: answered in Brussels time.
                "appointment_at": "2027-01-15T09:30:00Z",
            },
            format="json",
        )
    )
    keep(referent.post(f"{api}/referrals/{referral['id']}/accept/", {}, format="json"))
    keep(
        referent.post(
            f"{api}/persons/{person['id']}/notes/",
            {"domain": "housing", "text": "Reçue", "audience": "referral", "referral": referral["id"]},
            format="json",
        )
    )
    for path in (
        f"{api}/referrals/{referral['id']}/",
        f"{api}/referrals/inbox/",
        f"{api}/persons/{person['id']}/notes/",
        f"{api}/persons/{person['id']}/consents/",
        f"{api}/meetings/",
        "/api/v1/me/tokens/",
    ):
        keep(referent.get(path))
    keep(worker.post(f"{api}/consents/{consent['id']}/withdraw/", {"reason": "Refus"}, format="json"))
    keep(worker.get(f"{api}/referrals/outbox/"))

    detail = next(body for path, body in bodies if path == f"{api}/referrals/{referral['id']}/")
    assert detail["person"]["appointment_at"] == "2027-01-15T10:30:00+01:00"
    assert sum(len(list(_datetimes(body))) for _path, body in bodies) > 10
    assert [(path, _off_convention(body)) for path, body in bodies if _off_convention(body)] == []


def test_a_datetime_put_in_a_response_as_is_is_in_brussels_time():
    from datetime import UTC, datetime

    assert JSONEncoder().encode({"at": datetime(2026, 7, 1, 8, 0, tzinfo=UTC)}) == '{"at": "2026-07-01T10:00:00+02:00"}'
