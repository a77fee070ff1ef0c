"""What a self-test produces: one result per probe, what was cleaned up, and the two ways
they are shown (a table for people, JSON for scripts and bug reports).

A probe's result is one of:
- "pass": Google behaved as documented, or as gworkflow relies on;
- "fail": it did not, and gworkflow relies on it (or the probe could not run);
- "info": an open question (listed at the end of docs/google-api-notes.md, under "not
  settled by public evidence"), or a documented behaviour gworkflow does not rely on that
  came out otherwise; the observed column says what Google did, which settles it.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

Verdict = Literal["pass", "fail", "info"]
VERDICTS: tuple[Verdict, ...] = ("pass", "fail", "info")


@dataclass(frozen=True)
class Observation:
    """What one probe saw and how it judges it."""

    observed: str
    result: Verdict


def passed(observed: str) -> Observation:
    return Observation(observed, "pass")


def failed(observed: str) -> Observation:
    return Observation(observed, "fail")


def info(observed: str) -> Observation:
    return Observation(observed, "info")


def check(ok: bool, observed: str) -> Observation:
    """Pass when `ok` (gworkflow relies on it), else fail."""
    return Observation(observed, "pass" if ok else "fail")


def documented_or_info(as_documented: bool, observed: str) -> Observation:
    """For a documented behaviour gworkflow works without: pass when Google does what it
    documents, info (not fail) when it does not."""
    return Observation(observed, "pass" if as_documented else "info")


@dataclass(frozen=True)
class ProbeResult:
    """One row of the table."""

    name: str
    expected: str
    observed: str
    result: Verdict

    def as_json(self) -> dict[str, str]:
        return {
            "name": self.name,
            "expected": self.expected,
            "observed": self.observed,
            "result": self.result,
        }


@dataclass(frozen=True)
class Cleanup:
    """One scratch object the self-test made, and whether it was removed."""

    what: str
    done: bool
    detail: str

    def as_json(self) -> dict[str, Any]:
        return {"what": self.what, "done": self.done, "detail": self.detail}


@dataclass(frozen=True)
class SelftestReport:
    """The whole run: where it went, each probe's result, the clean-up."""

    endpoint: str
    probes: tuple[ProbeResult, ...]
    cleanup: tuple[Cleanup, ...] = ()
    kept: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        """No probe failed (the exit code is 0)."""
        return all(probe.result != "fail" for probe in self.probes)

    def counts(self) -> dict[Verdict, int]:
        return {verdict: sum(p.result == verdict for p in self.probes) for verdict in VERDICTS}

    def as_json(self) -> dict[str, Any]:
        return {
            "endpoint": self.endpoint,
            "probes": [probe.as_json() for probe in self.probes],
            "cleanup": [item.as_json() for item in self.cleanup],
            "kept": list(self.kept),
        }

    def as_text(self) -> str:
        where = "Google" if self.endpoint == GOOGLE else f"the endpoint {self.endpoint}"
        lines = [f"gworkflow self-test against {where}", ""]
        lines += table(self.probes)
        counts = self.counts()
        lines += [
            "",
            f"{len(self.probes)} probes: {counts['pass']} pass, {counts['fail']} fail, "
            f"{counts['info']} info",
        ]
        if counts["info"]:
            lines.append(
                "info: what Google does there is not settled (or differs from its reference "
                "in a way gworkflow does not depend on); the observed column settles it."
            )
        for item in self.cleanup:
            state = "removed" if item.done else "NOT removed"
            lines.append(f"clean-up: {item.what}: {state} ({item.detail})")
        for thing in self.kept:
            lines.append(f"kept (--keep): {thing}")
        return "\n".join(lines)


# The value of "endpoint" when the self-test talked to Google itself.
GOOGLE = "google"
_NAME_WIDTH = 44
_TEXT_WIDTH = 100


def table(probes: Sequence[ProbeResult]) -> list[str]:
    """The probes as a table: name, result, then expected and observed below, wrapped."""
    name_width = max([len("probe"), *(len(p.name) for p in probes)])
    name_width = min(name_width, _NAME_WIDTH)
    indent = " " * (name_width + 2 + 6)
    lines = [f"{'probe':<{name_width}}  result  expected / observed"]
    for probe in probes:
        head = f"{probe.name:<{name_width}}  {probe.result:<6}"
        for n, (label, text) in enumerate(
            (("expected", probe.expected), ("observed", probe.observed))
        ):
            wrapped = textwrap.wrap(
                f"{label}: {text}",
                width=_TEXT_WIDTH,
                initial_indent=(head if n == 0 else indent) + "  ",
                subsequent_indent=indent + "    ",
                break_on_hyphens=False,
                break_long_words=False,
            ) or [head]
            lines += wrapped
    return lines
