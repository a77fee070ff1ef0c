"""Type aliases shared across gworkflow."""

from typing import Any, Literal

JSON = dict[str, Any]
Position = Literal["end", "top"]
