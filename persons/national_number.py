"""The Belgian national register number: checked (stdnum), stored encrypted (Fernet).

Keys come from MAILLAGE_FIELD_KEYS (newest first, so old values still decrypt while they
are re-encrypted); a development default is derived from SECRET_KEY.
"""

import base64
import hashlib
from datetime import date

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.utils.translation import gettext as _
from stdnum.be import nn


def _fernet() -> MultiFernet:
    keys = list(settings.MAILLAGE_FIELD_KEYS)
    if not keys:
        keys = [base64.urlsafe_b64encode(hashlib.sha256(settings.SECRET_KEY.encode()).digest()).decode()]
    return MultiFernet([Fernet(k) for k in keys])


def normalise(value: str) -> str:
    """Eleven digits, or raises stdnum's ValidationError."""
    return nn.validate(value)


def contradictions(number: str, *, birth_date: date | None, birth_year: int | None) -> list[str]:
    """What a valid number (eleven digits, checked) says against the file. Its first six
    digits are the birth date, YYMMDD, the century told by the check digits (prefix 2 for
    births from 2000); a 00 month or day was unknown when the number was issued (or the
    day's serials ran out), and 00 00 01 means no part of the date was known, so only what
    the number states is compared. Digits 7 to 9 are a serial, odd for men and even for
    women, from 001 to 998: a file records no sex, so only the serial's range is checked."""
    found = []
    if number[6:9] in ("000", "999"):
        found.append(_("Digits 7 to 9 of a national register number run from 001 to 998."))
    year, month, day = nn.get_birth_year(number), nn.get_birth_month(number), None
    if year and month:
        known = nn.get_birth_date(number)
        day = known.day if known else None
    typed_year = birth_date.year if birth_date else birth_year
    if year and typed_year and year != typed_year:
        found.append(_("The national register number gives a birth in %(year)s.") % {"year": year})
    elif birth_date and month and (month != birth_date.month or (day and day != birth_date.day)):
        found.append(_("The national register number gives another birth date."))
    return found


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode() if value else ""


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return ""


def rotate(token: str) -> str:
    """Re-encrypts with the newest key."""
    return _fernet().rotate(token.encode()).decode() if token else ""
