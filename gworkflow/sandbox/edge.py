"""The sandbox's own edge: what it refuses before any emulated service sees a request.

The sandbox serves 127.0.0.1 to a browser (the HTML view) and has no authentication, so a
web page the user visits must not be able to drive it:
- `Host` must name the sandbox itself (127.0.0.1:PORT or localhost:PORT): a DNS-rebinding
  page reaches 127.0.0.1 under its own host name, and is refused;
- a request to an admin route, or an API write, carrying an `Origin` that is not the
  sandbox's own is refused (a cross-origin form or fetch; the sandbox's own pages send
  their own origin, which is accepted);
- an admin POST/DELETE with a body must say `Content-Type: application/json`, which a plain
  HTML form cannot send cross-origin without a CORS preflight.
Also here: the request body's length (`body_length`) and the shape of a state file
(`check_state`), so malformed input gets a clear error instead of a hang or a traceback.

Not here: the HTTP server (server.py calls these and turns a refusal into an answer).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from gworkflow.sandbox.docs import check_document

JSON = dict[str, Any]

# The largest request body read; a seeded captured document is well under this.
MAX_BODY_BYTES = 64 * 1024 * 1024
# How long the sandbox waits for a body the client announced but does not send.
BODY_TIMEOUT_SECONDS = 10.0
_SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class BadRequest(ValueError):
    """A request the sandbox cannot read (its length, or its framing)."""


def body_length(content_lengths: list[str], transfer_encoding: str | None) -> int:
    """The body length a request announces in its Content-Length header(s) (0 without);
    BadRequest when it is not one whole number, is over MAX_BODY_BYTES, or the body is
    chunked."""
    if transfer_encoding is not None:
        raise BadRequest("Transfer-Encoding is not supported: send the body with Content-Length")
    if not content_lengths:
        return 0
    if len(set(content_lengths)) > 1:
        raise BadRequest("the request has several different Content-Length headers")
    raw = content_lengths[0]
    text = raw.strip()
    if not text.isascii() or not text.isdigit():
        raise BadRequest(f"Content-Length must be a whole number of bytes, not {raw!r}")
    if len(text) > 20 or int(text) > MAX_BODY_BYTES:
        raise BadRequest(
            f"Content-Length {text} is over the sandbox's limit of {MAX_BODY_BYTES} bytes"
        )
    return int(text)


def own_hosts(port: int) -> frozenset[str]:
    return frozenset({f"127.0.0.1:{port}", f"localhost:{port}"})


def foreign_request(
    method: str, path: str, headers: Mapping[str, str], port: int | None
) -> str | None:
    """Why this request is refused as coming from someone else's page, or None.

    `headers` have lower-case names. `port` is the sandbox's (None before it listens: then
    nothing is checked)."""
    if port is None:
        return None
    own = own_hosts(port)
    host = headers.get("host")
    # Browsers always send Host; a client that sends none is not a rebinding page.
    if host is not None and host.strip().lower() not in own:
        return f"the Host {host!r} is not this sandbox (use http://127.0.0.1:{port})"
    origin = headers.get("origin")
    is_admin = path == "/_sandbox" or path.startswith("/_sandbox/")
    is_api_write = not is_admin and method.upper() not in _SAFE_METHODS
    own_origins = {f"http://{h}" for h in own}
    if (
        (is_admin or is_api_write)
        and origin is not None
        and origin.strip().lower() not in own_origins
    ):
        return f"cross-origin request from {origin!r} refused"
    return None


def needs_json_content_type(
    method: str, path: str, headers: Mapping[str, str], body: bytes
) -> bool:
    """True when an admin POST/DELETE has a body not declared as application/json."""
    is_admin = path == "/_sandbox" or path.startswith("/_sandbox/")
    if not is_admin or method.upper() not in ("POST", "DELETE", "PUT", "PATCH") or not body:
        return False
    media_type = (headers.get("content-type") or "").split(";", 1)[0].strip().lower()
    return media_type != "application/json"


# --- state files ---------------------------------------------------------------------


def check_state(state: Any, version: int) -> None:
    """Raise ValueError, naming the first wrong part, unless `state` has the shape
    `Sandbox.to_state()` writes (stores' unknown keys are left alone). `check_document`
    checks each stored document."""
    where = "the state"
    _expect(state, dict, where)
    if state.get("version") != version:
        raise ValueError(
            f'{where} is not a sandbox state of this version (expected "version": {version}, '
            f"got {state.get('version')!r})"
        )
    docs = _part(state, "docs")
    documents = _expect(docs.get("documents", {}), dict, "docs.documents")
    for doc_id, doc in documents.items():
        try:
            check_document(doc)
        except ValueError as error:
            raise ValueError(f"docs.documents[{doc_id!r}]: {error}") from None
    rng = docs.get("random")
    if rng is not None and not (
        isinstance(rng, list)
        and len(rng) == 3
        and isinstance(rng[0], int)
        and isinstance(rng[1], list)
        and all(isinstance(n, int) for n in rng[1])
    ):
        raise ValueError("docs.random must be a saved random state [version, [numbers], gauss]")
    calendar = _part(state, "calendar")
    _expect(calendar.get("revision", 0), int, "calendar.revision")
    calendars = _expect(calendar.get("calendars", {}), dict, "calendar.calendars")
    for cid, events in calendars.items():
        for eid, record in _expect(events, dict, f"calendar.calendars[{cid!r}]").items():
            here = f"calendar.calendars[{cid!r}][{eid!r}]"
            _expect(record, dict, here)
            _expect(record.get("event"), dict, f"{here}.event")
            _expect(record.get("exceptions", {}), dict, f"{here}.exceptions")
    _list_of(calendar.get("invitations", []), dict, "calendar.invitations")
    drive = _part(state, "drive")
    permissions = _expect(drive.get("permissions", {}), dict, "drive.permissions")
    for file_id, granted in permissions.items():
        for permission in _list_of(granted, dict, f"drive.permissions[{file_id!r}]"):
            _expect(permission.get("id"), str, f"drive.permissions[{file_id!r}][].id")
    _list_of(drive.get("notifications", []), dict, "drive.notifications")
    _list_of(drive.get("trashed", []), str, "drive.trashed")
    oauth = _part(state, "oauth")
    tokens = _expect(oauth.get("refresh_tokens", {}), dict, "oauth.refresh_tokens")
    for token, grant in tokens.items():
        _expect(grant, dict, f"oauth.refresh_tokens[{token!r}]")
    zoom = _part(state, "zoom")
    _list_of(zoom.get("tokens", []), str, "zoom.tokens")
    for meeting_id, meeting in _expect(zoom.get("meetings", {}), dict, "zoom.meetings").items():
        _expect(meeting, dict, f"zoom.meetings[{meeting_id!r}]")


_TYPE_NAMES = {dict: "an object", list: "a list", str: "a string", int: "a whole number"}


def _expect(value: Any, kind: type, where: str) -> Any:
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ValueError(f"{where} must be {_TYPE_NAMES[kind]}, not {_describe(value)}")
    return value


def _part(state: JSON, name: str) -> JSON:
    part: JSON = _expect(state.get(name, {}), dict, name)
    return part


def _list_of(value: Any, kind: type, where: str) -> list[Any]:
    items: list[Any] = _expect(value, list, where)
    for n, item in enumerate(items):
        _expect(item, kind, f"{where}[{n}]")
    return items


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    for kind, name in _TYPE_NAMES.items():
        if isinstance(value, kind):
            return name
    return "a number" if isinstance(value, float) else type(value).__name__


def restore_or_explain(restore: Callable[[], None]) -> None:
    """Run `restore` (stores' from_state); a malformed value a shape check let through
    becomes a ValueError instead of a traceback."""
    try:
        restore()
    except (AttributeError, TypeError, KeyError, IndexError) as error:
        raise ValueError(f"the state holds a malformed value: {error!r}") from None
