"""Organisations joining the coordination and its data-sharing charter."""

from django.db import models  # noqa: F401
