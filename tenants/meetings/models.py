"""Coordination meetings, follow-up actions and the local action plan."""

from django.db import models  # noqa: F401
