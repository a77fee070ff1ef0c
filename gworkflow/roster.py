"""A programme's roster (CSV, one series per row) -> the config's [[series]] tables.

Columns (the header row names them, in any order):

    id, schedule, timezone, participants   required
    title, conference, lead_days, template optional

`participants` holds `Name <email> @Zone` entries separated by `;` (`@Zone` may be left
out: the series' timezone). `conference` is a Zoom link, `meet` (Calendar adds a Google
Meet), another https:// link (shown in the agenda only), or empty.

Rows are numbered as a spreadsheet shows them (the header is row 1). Every row is checked by
the config's own validation (the series it would become, parsed as config text, each error
mapped back to its column), plus what only a roster can get wrong (the participants'
syntax, an id used twice, a template file that is not there). When any row is bad the plan
lists every bad row and nothing is written.

Importing changes only what the roster says: a row whose id is new adds a series; a row
whose id is in the config sets the keys of the roster's columns (an empty optional cell
means the default, so the key is removed; a column missing from the header leaves that key
alone); keys the roster has no column for (doc_id, duration, tab, ...) and series not in
the roster are kept. Importing the same file again changes nothing. The file is edited with
tomlkit, so its comments and layout survive.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import tomlkit
from tomlkit.items import AoT, Table

from gworkflow.config import parse_config, write_atomically
from gworkflow.errors import ConfigError

REQUIRED = ("id", "schedule", "timezone", "participants")
OPTIONAL = ("title", "conference", "lead_days", "template")
COLUMNS = REQUIRED + OPTIONAL
# The keys of a [[series]] table that the roster's columns set.
_ROSTER_KEYS = (
    "title",
    "timezone",
    "schedule",
    "lead_days",
    "template",
    "conference",
    "participants",
)
_PERSON = re.compile(r"^(?P<name>[^<>;@]+?)\s*<(?P<email>[^<>\s]*)>\s*(?:@\s*(?P<zone>\S+))?$")
_PERSON_EXAMPLE = "'Ruth <ruth@example.edu> @America/New_York'"
# Set on a participant written without @Zone (it takes the series' zone); never written out.
_INHERITED = "_zone_from_series"


@dataclass(frozen=True)
class RowProblem:
    """One bad cell: where it is and what to do about it."""

    row: int
    column: str
    problem: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column}: {self.problem}"

    def as_json(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "problem": self.problem}


class RosterError(ConfigError):
    """The roster has bad rows (all of them listed); nothing was written."""

    def __init__(self, source: str, problems: Sequence[RowProblem]) -> None:
        self.problems = list(problems)
        rows = len({p.row for p in problems})
        lines = [
            f"{source}: {rows} bad row{'s' if rows != 1 else ''}, nothing was imported:",
            *(f"  {problem}" for problem in problems),
        ]
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class SeriesChange:
    """What importing did (or would do) to one series."""

    series_id: str
    row: int
    kind: Literal["added", "updated", "unchanged"]
    changes: tuple[str, ...] = ()

    def summary(self) -> str:
        if self.kind == "added":
            return f"{self.series_id}: added (row {self.row})"
        if self.kind == "unchanged":
            return f"{self.series_id}: no changes"
        return f"{self.series_id}: " + "; ".join(self.changes)

    def as_json(self) -> dict[str, Any]:
        return {
            "series": self.series_id,
            "row": self.row,
            "action": self.kind,
            "changes": list(self.changes),
        }


@dataclass(frozen=True)
class ImportPlan:
    """The series the roster adds or changes, the config's text afterwards, and the series
    of the config that the roster does not name (kept as they are)."""

    changes: tuple[SeriesChange, ...]
    text: str
    untouched: tuple[str, ...]

    @property
    def changed(self) -> bool:
        return any(change.kind != "unchanged" for change in self.changes)


# --- reading rows ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Row:
    number: int
    series: dict[str, Any]  # the [[series]] table it becomes (roster keys only, plus id)
    present: frozenset[str]  # the roster keys its header has a column for


def _read(text: str, source: str, base_dir: Path) -> tuple[list[_Row], list[RowProblem]]:
    records = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    if not records or not any(cell.strip() for cell in records[0]):
        raise ConfigError(
            f"{source}: the roster is empty: its first row names the columns ({', '.join(COLUMNS)})"
        )
    header = [cell.strip().lower() for cell in records[0]]
    problems = _check_header(header)
    if problems:
        raise RosterError(source, problems)
    rows: list[_Row] = []
    for index, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue  # a blank line
        if len(record) > len(header):
            problems.append(
                RowProblem(
                    index,
                    "-",
                    f"has {len(record)} cells but the header names {len(header)} columns: "
                    "quote a cell that holds a comma",
                )
            )
            continue
        cells = {
            name: (record[i].strip() if i < len(record) else "") for i, name in enumerate(header)
        }
        series, found = _series(index, cells, base_dir)
        problems += found
        present = frozenset(name for name in header if name in _ROSTER_KEYS)
        rows.append(_Row(index, series, present))
    return rows, problems


def _check_header(header: list[str]) -> list[RowProblem]:
    problems = []
    for name in header:
        if name not in COLUMNS:
            hint = difflib.get_close_matches(name, COLUMNS, n=1)
            extra = f" (did you mean {hint[0]!r}?)" if hint else ""
            problems.append(
                RowProblem(
                    1, name or "(empty)", f"unknown column{extra}; columns: {', '.join(COLUMNS)}"
                )
            )
    for name in COLUMNS:
        if header.count(name) > 1:
            problems.append(RowProblem(1, name, "is named twice"))
    for name in REQUIRED:
        if name not in header:
            problems.append(RowProblem(1, name, "is missing: add a column of that name"))
    return problems


def _series(
    row: int, cells: Mapping[str, str], base_dir: Path
) -> tuple[dict[str, Any], list[RowProblem]]:
    """The [[series]] table a row stands for, and what is wrong with it that only the roster
    can say (the config's validation comes later)."""
    problems: list[RowProblem] = []
    table: dict[str, Any] = {}
    for name in REQUIRED:
        if name in cells and not cells[name]:
            problems.append(RowProblem(row, name, f"is empty; {_EMPTY_FIX[name]}"))
    table["id"] = cells.get("id", "")
    if cells.get("title"):
        table["title"] = cells["title"]
    table["timezone"] = cells.get("timezone", "")
    table["schedule"] = cells.get("schedule", "")
    lead_days = cells.get("lead_days", "")
    if lead_days:
        try:
            table["lead_days"] = int(lead_days)
        except ValueError:
            problems.append(
                RowProblem(
                    row, "lead_days", f"{lead_days!r} is not a whole number of days (0 to 60)"
                )
            )
    template = cells.get("template", "")
    if template:
        path = Path(template).expanduser()
        resolved = path if path.is_absolute() else base_dir / path
        if not resolved.is_file():
            problems.append(
                RowProblem(
                    row,
                    "template",
                    f"{template!r}: no such file ({resolved}); a relative path is relative to "
                    "the config file's folder",
                )
            )
        table["template"] = template
    conference = cells.get("conference", "")
    if conference:
        if conference.lower() == "meet":
            table["conference"] = {"kind": "meet"}
        elif conference.startswith("https://"):
            kind = "zoom" if re.match(r"https://([\w-]+\.)*zoom\.us/", conference) else "none"
            table["conference"] = {"kind": kind, "join_url": conference}
        else:
            problems.append(
                RowProblem(
                    row,
                    "conference",
                    f"{conference!r} must be a Zoom link (https://…zoom.us/j/…), 'meet' for a "
                    "Google Meet on the event, another https:// link, or empty",
                )
            )
    people: list[dict[str, Any]] = []
    entries = [entry.strip() for entry in cells.get("participants", "").split(";")]
    for number, entry in enumerate((e for e in entries if e), start=1):
        match = _PERSON.match(entry)
        if match is None:
            problems.append(
                RowProblem(
                    row,
                    "participants",
                    f"participant {number} {entry!r}: write it as 'Name <email> @Zone' "
                    f"(@Zone optional), e.g. {_PERSON_EXAMPLE}; separate people with ';'",
                )
            )
            continue
        person: dict[str, Any] = {
            "name": match["name"].strip(),
            "email": match["email"],
            "timezone": match["zone"] or table["timezone"],
        }
        if not match["zone"]:
            person[_INHERITED] = True
        people.append(person)
    table["participants"] = people
    return table, problems


_EMPTY_FIX = {
    "id": "give the series a slug, e.g. 'ruth-heather'",
    "schedule": "e.g. '2nd Tuesday 14:00'",
    "timezone": "the zone the event is anchored in, e.g. 'America/Chicago'",
    "participants": f"list the people, e.g. {_PERSON_EXAMPLE}; 'Heather <heather@example.org>'",
}


# --- checking a row with the config's own rules ---------------------------------------------------

_WHERE = re.compile(
    r"^series\[\d+\](?:\.(?P<key>[a-z_]+)(?:\[(?P<index>\d+)\])?(?:\.(?P<sub>\S+))?)?$"
)


def _config_problem(row: int, series: Mapping[str, Any], message: str, source: str) -> RowProblem:
    """A config error about one series as a problem of its roster row's column."""
    text = message.removeprefix(f"{source}: ")
    where, _, problem = text.partition(": ")
    match = _WHERE.match(where)
    if match is None or not problem:
        return RowProblem(row, "-", text)
    key = match["key"] or "-"
    if key == "participants" and match["index"] is not None:
        person = series.get("participants", [])[int(match["index"])]
        if match["sub"] == "timezone" and person.get(_INHERITED):
            return RowProblem(row, "timezone", problem)  # the series' zone, taken by default
        label = f"participant {int(match['index']) + 1} ({person.get('name', '?')})"
        return RowProblem(row, "participants", f"{label}: {problem}")
    column = key if key in COLUMNS else f"- (the config's {key})"
    return RowProblem(row, column, problem)


def _check_row(row: _Row, merged: Mapping[str, Any], config_path: Path) -> RowProblem | None:
    clean = dict(merged)
    clean["participants"] = [
        {key: value for key, value in person.items() if key != _INHERITED}
        for person in merged.get("participants", [])
    ]
    text = tomlkit.dumps({"series": [clean]})
    try:
        parse_config(text, config_path)
    except ConfigError as exc:
        return _config_problem(row.number, merged, exc.message, str(config_path))
    return None


# --- planning and applying --------------------------------------------------------------------


def plan_import(roster_text: str, roster_name: str, config_path: Path) -> ImportPlan:
    """What importing `roster_text` (the CSV file `roster_name`) into the config at
    `config_path` changes; raises RosterError listing every bad row, or ConfigError when the
    config itself is broken."""
    original = config_path.read_text(encoding="utf-8") if config_path.exists() else ""
    document = tomlkit.parse(original)
    if not original.strip():
        document.add(tomlkit.comment(f"gworkflow configuration, imported from {roster_name}."))
        document.add(tomlkit.comment("Check it with `gworkflow config check`."))
    if document.get("series"):
        parse_config(original, config_path)  # a broken config is reported as itself
    rows, problems = _read(roster_text, roster_name, config_path.parent)
    existing: dict[str, Table] = {
        str(entry.get("id")): entry for entry in document.get("series", [])
    }
    first_row: dict[str, int] = {}
    bad_rows = {problem.row for problem in problems}
    for row in rows:
        sid = row.series["id"]
        if sid in first_row:
            problems.append(
                RowProblem(
                    row.number, "id", f"{sid!r} is also on row {first_row[sid]}: each series once"
                )
            )
            continue
        if sid:
            first_row[sid] = row.number
        if row.number in bad_rows:
            continue
        merged = _merged(existing.get(sid), row)
        problem = _check_row(row, merged, config_path)
        if problem is not None:
            problems.append(problem)
    if problems:
        raise RosterError(roster_name, sorted(problems, key=lambda p: p.row))

    changes: list[SeriesChange] = []
    for row in rows:
        sid = row.series["id"]
        if sid in existing:
            found = _update(existing[sid], row)
            changes.append(
                SeriesChange(sid, row.number, "updated" if found else "unchanged", tuple(found))
            )
        else:
            _add(document, row)
            changes.append(SeriesChange(sid, row.number, "added"))
    text = (
        _tidy(tomlkit.dumps(document)) if any(c.kind != "unchanged" for c in changes) else original
    )
    try:
        parse_config(text, config_path)
    except ConfigError as exc:  # the whole file must still be a config (e.g. [limits] keys)
        raise ConfigError(
            f"{exc.message} (after importing {roster_name}; nothing was written)"
        ) from None
    named = {row.series["id"] for row in rows}
    untouched = tuple(sid for sid in existing if sid not in named)
    return ImportPlan(tuple(changes), text, untouched)


def apply_import(plan: ImportPlan, config_path: Path) -> None:
    """Write the planned config, atomically; nothing when nothing changes."""
    if plan.changed:
        write_atomically(config_path, plan.text)


def _merged(existing: Table | None, row: _Row) -> dict[str, Any]:
    """The series table after the import, as plain data (for validation)."""
    base: dict[str, Any] = existing.unwrap() if existing is not None else {}
    merged = dict(base)
    for key in row.present | {"id"}:
        if key in row.series:
            value = row.series[key]
            if key == "conference" and isinstance(base.get("conference"), dict):
                value = _conference_after(base["conference"], value)
            merged[key] = value
        else:
            merged.pop(key, None)
    return merged


def _conference_after(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    """The same link keeps what `zoom create` wrote beside it (meeting id, passcode)."""
    if old.get("kind") == new.get("kind") and old.get("join_url", "") == new.get("join_url", ""):
        return dict(old)
    return dict(new)


# --- writing into the document ----------------------------------------------------------------


def _add(document: Any, row: _Row) -> None:
    table = tomlkit.table()
    table.trivia.indent = "\n"
    series = row.series
    for key in ("id", "title", "timezone", "schedule", "lead_days", "template"):
        if key in series:
            table[key] = series[key]
    if "conference" in series:
        table["conference"] = _conference_table(series["conference"])
    table["participants"] = _people(series["participants"])
    if "series" not in document:
        document["series"] = tomlkit.aot()
    document["series"].append(table)


def _conference_table(values: Mapping[str, Any]) -> Table:
    table = tomlkit.table()
    table.trivia.indent = "\n"
    for key, value in values.items():
        table[key] = value
    return table


def _people(people: Sequence[Mapping[str, str]]) -> AoT:
    aot = tomlkit.aot()
    for person in people:
        table = tomlkit.table()
        table.trivia.indent = "\n"
        for key in ("name", "email", "timezone"):
            table[key] = person[key]
        aot.append(table)
    return aot


_DEFAULTS = {"title": "Peer mentoring check-in", "lead_days": 7}


def _update(table: Table, row: _Row) -> list[str]:
    """Set the roster's keys in an existing series table; returns what changed."""
    before: dict[str, Any] = table.unwrap()
    changes: list[str] = []
    for key in _ROSTER_KEYS:
        if key not in row.present:
            continue
        old = before.get(key)
        new = row.series.get(key)
        if key == "conference" and isinstance(old, dict) and isinstance(new, dict):
            new = _conference_after(old, new)
        if _same(key, old, new):
            continue
        changes.append(_describe(key, old, new))
        current = table.get(key)
        if new is None:
            del table[key]
        elif key == "participants" and isinstance(current, AoT):
            _set_people(current, new)
        elif key == "conference" and isinstance(current, Table):
            _set_values(current, new, drop_others=True)
        elif key == "participants":
            table[key] = _people(new)
        elif key == "conference":
            table[key] = _conference_table(new)
        else:
            table[key] = new
    return changes


# Edits are made in place, value by value, so that comments beside values stay; tables
# added or removed move tomlkit's blank lines, which `_tidy` puts back.


def _set_values(table: Table, values: Mapping[str, Any], drop_others: bool = False) -> None:
    for key in [k for k in table if drop_others and k not in values]:
        del table[key]
    for key, value in values.items():
        if table.get(key) != value:
            table[key] = value


def _set_people(aot: AoT, people: Sequence[Mapping[str, Any]]) -> None:
    for index, person in enumerate(people):
        values = {key: person[key] for key in ("name", "email", "timezone")}
        if index < len(aot):
            _set_values(aot[index], values)
        else:
            aot.append(_people([person])[0])
    while len(aot) > len(people):
        del aot[len(aot) - 1]


_HEADER = re.compile(r"^\s*\[")


def _tidy(text: str) -> str:
    """One blank line before each table header (unless a comment sits on it), at most one
    blank line anywhere before a header."""
    lines = text.split("\n")
    out: list[str] = []
    for line in lines:
        if _HEADER.match(line):
            while len(out) >= 2 and not out[-1].strip() and not out[-2].strip():
                out.pop()
            if out and out[-1].strip() and not out[-1].lstrip().startswith("#"):
                out.append("")
        out.append(line)
    return "\n".join(out)


def _same(key: str, old: Any, new: Any) -> bool:
    if key == "participants":
        return _people_key(old or []) == _people_key(new or [])
    if key == "conference":
        return _conference_key(old) == _conference_key(new)
    # An empty cell means the default: a key that spells the default out is left as it is.
    default = _DEFAULTS.get(key)
    return bool((default if old is None else old) == (default if new is None else new))


def _people_key(people: Sequence[Mapping[str, Any]]) -> list[tuple[str, str, str]]:
    return [(str(p.get("name")), str(p.get("email")), str(p.get("timezone"))) for p in people]


def _conference_key(value: Any) -> tuple[str, str]:
    if not isinstance(value, dict):
        return ("none", "")
    return (str(value.get("kind", "none")), str(value.get("join_url", "")))


def _describe(key: str, old: Any, new: Any) -> str:
    if key == "participants":
        return "participants: " + _people_change(old or [], new or [])
    if key == "conference":
        return f"conference: {_conference_text(old)} -> {_conference_text(new)}"
    default = _DEFAULTS.get(key)
    old_text = repr(old) if old is not None else (f"(default {default!r})" if default else "(none)")
    new_text = repr(new) if new is not None else (f"(default {default!r})" if default else "(none)")
    return f"{key}: {old_text} -> {new_text}"


def _conference_text(value: Any) -> str:
    kind, url = _conference_key(value)
    if kind == "meet":
        return "'meet'"
    return repr(url) if url else "(none)"


def _people_change(old: Sequence[Mapping[str, Any]], new: Sequence[Mapping[str, Any]]) -> str:
    before = {str(p.get("email")).casefold(): p for p in old}
    after = {str(p.get("email")).casefold(): p for p in new}
    parts = [f"added {_person(p)}" for e, p in after.items() if e not in before]
    parts += [f"removed {_person(p)}" for e, p in before.items() if e not in after]
    for email, person in after.items():
        was = before.get(email)
        if was is None:
            continue
        for field in ("name", "timezone"):
            if was.get(field) != person.get(field):
                parts.append(
                    f"{person.get('name')}'s {field} {was.get(field)!r} -> {person.get(field)!r}"
                )
    if not parts:
        parts.append("order changed")
    return ", ".join(parts)


def _person(person: Mapping[str, Any]) -> str:
    return f"{person.get('name')} <{person.get('email')}>"
