"""The reference a referral is known by on the phone and on paper: `SCH-2026-0042`.

Three letters for the coordination, the year the referral was created (in Belgium), and
its number in that year inside the coordination, from 1, without gaps.

The three letters come from the coordination's schema name (its slug, which never
changes once the schema exists): its first three letters or digits, upper-cased, so
Schaerbeek is SCH and Tournai TOU. They only need to tell a reader which coordination the
paper comes from; uniqueness is within the coordination, where each schema has its own
counter (referrals.models.ReferenceCounter).
"""

import re
from datetime import datetime

from django.db import connection
from django.utils import timezone

PATTERN = re.compile(r"^[A-Z0-9]{3}-\d{4}-\d{4,}$")


def coordination_code(schema_name: str) -> str:
    letters = re.sub(r"[^A-Za-z0-9]", "", schema_name).upper()
    return (letters + "XXX")[:3]


def format_reference(code: str, year: int, number: int) -> str:
    return f"{code}-{year}-{number:04d}"


def next_number(year: int) -> int:
    """The next number of `year`, in one statement: the year's row is created or bumped and
    stays locked until the caller's transaction ends, so two referrals created at once get
    two numbers, and a rolled-back one gives its number back."""
    with connection.cursor() as cursor:
        cursor.execute(_NEXT, [year])
        return cursor.fetchone()[0]


_NEXT = (
    "INSERT INTO referrals_referencecounter (year, last, created_at, updated_at) VALUES (%s, 1, now(), now()) "
    "ON CONFLICT (year) DO UPDATE SET last = referrals_referencecounter.last + 1, updated_at = now() "
    "RETURNING last"
)


def new_reference(created_at: datetime) -> str:
    """A fresh reference for a referral created at `created_at`, in the current schema.
    Call inside the transaction that creates the referral."""
    year = timezone.localtime(created_at).year
    return format_reference(coordination_code(connection.schema_name), year, next_number(year))
