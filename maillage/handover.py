"""What a file takes along when a family moves to another coordination.

The handover reads the origin's file in the origin's schema and writes the new file in the
receiving one. Each app that keeps something about the person contributes its part through
MAILLAGE_TRANSFER_HANDOVER (settings, "Hooks"): a function called in the origin's schema
with (actor=, person=, consent=) that returns a Part, or None when the consent does not
share what it keeps. The part's data stays in memory between the two sides: it is never
stored on the way, so nothing of the person rests where both coordinations can read it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# The part without which no file can be opened on arrival: the file is opened from it.
IDENTITY = "identity"


@dataclass(frozen=True)
class Part:
    key: str
    data: dict = field(default_factory=dict)
    # Called in the receiving schema, inside its transaction, with (actor=, person=, data=):
    # writes the part to the new file. None for the identity part, which opens the file.
    receive: Callable[..., Any] | None = None
