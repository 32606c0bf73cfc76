"""The Belgian national register number: checked (stdnum), stored encrypted (Fernet).

Keys come from MAILLAGE_FIELD_KEYS (newest first, so old values still decrypt while they
are re-encrypted); a development default is derived from SECRET_KEY.
"""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from stdnum.be import nn


def _fernet() -> MultiFernet:
    keys = list(settings.MAILLAGE_FIELD_KEYS)
    if not keys:
        keys = [base64.urlsafe_b64encode(hashlib.sha256(settings.SECRET_KEY.encode()).digest()).decode()]
    return MultiFernet([Fernet(k) for k in keys])


def normalise(value: str) -> str:
    """Eleven digits, or raises stdnum's ValidationError."""
    return nn.validate(value)


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
