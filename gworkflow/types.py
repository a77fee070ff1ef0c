"""Type aliases shared across the package, defined once.

`JSON` is a decoded JSON object as Google's APIs send and take it (documents.get, an event
body, a batchUpdate reply); `Position` is where a new agenda section goes in the doc.
"""

from __future__ import annotations

from typing import Any, Literal

JSON = dict[str, Any]
Position = Literal["end", "top"]
