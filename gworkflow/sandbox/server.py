"""The sandbox HTTP server: one base URL serving Docs v1, Calendar v3, Drive v3, Google's
OAuth token endpoint and a Zoom fake, plus an admin surface and an HTML view.

The real google-api-python-client reaches it through `client_options={"api_endpoint": ...}`
(see gworkflow/google/clients.py). Every Google API request is first checked against the
discovery documents (schema.py), then routed to the engines: DocsStore (docs.py),
CalendarStore (calendar.py), DriveStore (drive.py), OAuthStore (oauth.py), ZoomStore
(zoom.py). Faults (faults.py) and the request log apply to the API routes only, never to
`/_sandbox/...` or the HTML view.

Admin surface (JSON):
  POST   /_sandbox/reset                 empty everything (faults and the request log too),
             behaviours back to the sandbox's start-up settings, the default user acting
  GET    /_sandbox/behaviors             the behaviour switches (behaviors.py) as {name: value}
  POST   /_sandbox/behaviors             {name: value, ...} merged into them; an unknown name
             or value is a 400 naming the allowed ones
  POST   /_sandbox/users                 {"email"}: a sandbox user (owner of the primary
             calendar with that id; an event inviting them is copied there)
  POST   /_sandbox/calendars             {"id", "access": "owner"|"writer"|"reader", "user"?}:
             the calendar exists and the user (default: the acting one) has that access;
             other calendars answer 404, writing with reader access 403 requiredAccessLevel
  GET    /_sandbox/act-as                {"email"}: who makes the API calls
  POST   /_sandbox/act-as                {"email"} (null: the default user) makes the calls
             that carry no X-Sandbox-User header. A request's `X-Sandbox-User: <email>`
             header makes that one call as that user.
  POST   /_sandbox/documents             body: a documents.get JSON -> {"documentId"}
  DELETE /_sandbox/documents/{id}        "the doc was deleted"
  POST   /_sandbox/documents/{id}:type   a person types in the doc (people.py), body:
             {"section": "2026-12-08", "heading_path": ["Ruth", "Goals"],
              "action": "append_items", "items": ["Submit the IRDL application"]}
          or {"section": ..., "heading_path": ..., "action": "mark_done",
              "match": "Submit the IRDL application", "mark": "✅ "}   (mark optional)
             plus an optional "tab" (title or id; default the first tab).
             -> the documents.batchUpdate response. The place is found on the raw document
             (the section: the one Heading 1 containing "section"; the list under the
             headings "heading_path"); 404 if it is not there, 409 if two sections match.
             The edit is a real batchUpdate of insertText: it bumps the revision, moves
             named ranges, and is logged as POST /v1/documents/{id}:batchUpdate (never
             faulted, like every admin route).
  GET    /_sandbox/requests              [{"method","path","query","status"}] in order
  DELETE /_sandbox/requests
  GET    /_sandbox/faults                armed faults; POST one; DELETE clears
  POST   /_sandbox/tokens                {"scope"?} -> {"refresh_token"}
  POST   /_sandbox/tokens/revoke         {"token"}
  GET    /_sandbox/state                 every store's state, share notifications, invitations
  GET    /_sandbox/quotas                the quota settings (quotas.py) and, under "refused",
             how many requests each quota refused: {"enabled", "window_seconds",
             "docs_read", "docs_write", "calendar", "drive", "calendar_status",
             "drive_status", "doc_max_chars", "refused": {"docs_read": 0, ...}}
  POST   /_sandbox/quotas                change some settings (merged; all or nothing), e.g.
             {"docs_write": 5, "window_seconds": 0.5} or {"enabled": false} -> as GET
  POST   /_sandbox/documents/{id}:trash  the owner moves the doc to the trash (Drive files.get
  POST   /_sandbox/documents/{id}:untrash   reports "trashed"; Docs still serves it)
             -> {"id", "trashed"}
HTML: GET / (index) and GET /view/documents/{id}.

The server binds 127.0.0.1 only: it has no authentication and must never face a network.
edge.py guards it from web pages (Host, Origin, Content-Type) and malformed requests.
API calls count against per-user quotas (quotas.py) before anything else happens to them.
A single lock serialises every state change (ThreadingHTTPServer runs handlers in threads).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

from gworkflow.sandbox import edge
from gworkflow.sandbox import html as html_view
from gworkflow.sandbox.behaviors import BehaviorError, Behaviors, parse_assignment
from gworkflow.sandbox.calendar import SANDBOX_USER, CalendarStore
from gworkflow.sandbox.docs import DocsStore
from gworkflow.sandbox.drive import DriveStore
from gworkflow.sandbox.errors import FRONT_END_502, ApiError, docs_fault_body, v3_fault_body
from gworkflow.sandbox.faults import Fault, FaultError, FaultInjector, check_fault_body
from gworkflow.sandbox.oauth import OAuthError, OAuthStore
from gworkflow.sandbox.people import TypeRequest, typing_requests
from gworkflow.sandbox.quotas import QuotaEngine
from gworkflow.sandbox.quotas import parse_assignment as parse_quota_option
from gworkflow.sandbox.schema import ResolvedMethod, api_for_path, validate_request
from gworkflow.sandbox.zoom import ZoomError, ZoomStore

# The command line parses --quota and --behavior with the sandbox's own parsers (the
# product reaches the sandbox only through this module).
__all__ = [
    "COLLABORATOR_TEXT",
    "BehaviorError",
    "Sandbox",
    "parse_assignment",
    "parse_quota_option",
]

JSON = dict[str, Any]
HOST = "127.0.0.1"
COLLABORATOR_TEXT = "Edited by a collaborator"
STATE_VERSION = 1
USER_HEADER = "x-sandbox-user"


class _Answer:
    """One HTTP answer: status, JSON (or text) body, content type."""

    def __init__(
        self, status: int, body: Any = None, content_type: str = "application/json"
    ) -> None:
        self.status = status
        self.body = body
        self.content_type = content_type

    def payload(self) -> bytes:
        if self.body is None:
            return b""
        if isinstance(self.body, str):
            return self.body.encode("utf-8")
        return json.dumps(self.body, ensure_ascii=False).encode("utf-8")


class Sandbox:
    """Every emulated service behind one local HTTP server. Usable as a context manager."""

    def __init__(
        self,
        state_file: Path | None = None,
        clock: Callable[[], datetime] | None = None,
        quotas: Mapping[str, Any] | None = None,
        behaviors: dict[str, str] | None = None,
    ) -> None:
        """`quotas`: settings over Google's defaults (see quotas.py), kept across reset().
        A `state_file` that exists is read now: ValueError when it is not a sandbox state."""
        self.state_file = Path(state_file) if state_file is not None else None
        self._clock = clock
        self.lock = threading.RLock()
        # The behaviour switches (behaviors.py); `behaviors` overrides their defaults from
        # the start and survives reset(). A bad name or value raises BehaviorError.
        self.behaviors = Behaviors(behaviors)
        self.acting_user: str | None = None  # None: the default user
        self.faults = FaultInjector()
        self.quotas = QuotaEngine(quotas)
        self.base_url = ""
        self._requests: list[JSON] = []
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._fresh_stores()
        if self.state_file is not None and self.state_file.exists():
            self._load_state_file(self.state_file)

    # -- stores and state ------------------------------------------------------------------

    def _fresh_stores(self) -> None:
        self.docs = DocsStore(behaviors=self.behaviors)
        self.calendar = CalendarStore(clock=self._clock, behaviors=self.behaviors)
        self.drive = DriveStore(self._document_title)
        self.oauth = OAuthStore()
        self.zoom = ZoomStore(clock=self._clock)

    def _document_title(self, file_id: str) -> str | None:
        for summary in self.docs.summaries():
            if summary.get("documentId") == file_id:
                return str(summary.get("title") or "Untitled document")
        return None

    def reset(self) -> None:
        """Empty every store, the faults, the request log and the quota windows; quota
        settings and behaviours back to the start-up settings; the default user acting."""
        with self.lock:
            self.behaviors.reset()
            self.acting_user = None
            self._fresh_stores()
            self.faults.clear()
            self.quotas.reset()
            self._requests.clear()
            self._save()

    def set_behaviors(self, **changes: str) -> dict[str, str]:
        """Change behaviour switches (`sandbox.set_behaviors(instances_time_min="exclusive")`);
        returns them all. An unknown name or value raises BehaviorError, changing nothing."""
        with self.lock:
            return self.behaviors.update(changes)

    def act_as(self, email: str | None) -> None:
        """Make the API calls that carry no X-Sandbox-User header as `email` (a sandbox user,
        added if new); None: the default user."""
        with self.lock:
            if email is not None:
                self.calendar.add_user(email)
            self.acting_user = email

    def to_state(self) -> JSON:
        with self.lock:
            return {
                "version": STATE_VERSION,
                "docs": self.docs.to_state(),
                "calendar": self.calendar.to_state(),
                "drive": self.drive.to_state(),
                "oauth": self.oauth.to_state(),
                "zoom": self.zoom.to_state(),
            }

    def load_state(self, state: JSON) -> None:
        """Replace everything with `state` (as to_state() gives it); ValueError, and nothing
        changed, when it is not of that shape."""
        edge.check_state(state, STATE_VERSION)
        with self.lock:

            def restore() -> None:
                self._fresh_stores()
                self.docs = _restored(self.docs, state.get("docs"), behaviors=self.behaviors)
                self.calendar = _restored(
                    self.calendar,
                    state.get("calendar"),
                    clock=self._clock,
                    behaviors=self.behaviors,
                )
                self.drive.from_state(state.get("drive", {}))
                self.oauth.from_state(state.get("oauth", {}))
                self.zoom.from_state(state.get("zoom", {}))

            try:
                edge.restore_or_explain(restore)
            except ValueError:
                self._fresh_stores()
                raise

    def _load_state_file(self, path: Path) -> None:
        try:
            state = json.loads(path.read_text(encoding="utf-8"))
            self.load_state(state)
        except ValueError as error:  # not JSON, not UTF-8, or not a sandbox state
            raise ValueError(f"{path} is not a sandbox state file: {error}") from None

    def _save(self) -> None:
        """Write the state file atomically (temp file + rename), if there is one."""
        if self.state_file is None:
            return
        self.state_file.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.state_file.parent, prefix=".sandbox-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(self.to_state(), handle, ensure_ascii=False)
            os.replace(tmp, self.state_file)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise

    # -- requests log ---------------------------------------------------------------------

    def requests_log(self) -> list[JSON]:
        """Every API request received, in order: {"method","path","query","status"}."""
        with self.lock:
            return [dict(entry) for entry in self._requests]

    def clear_requests(self) -> None:
        with self.lock:
            self._requests.clear()

    def _log(self, method: str, path: str, query: dict[str, list[str]], status: int) -> None:
        with self.lock:
            self._requests.append(
                {"method": method, "path": path, "query": query, "status": status}
            )

    # -- life cycle -----------------------------------------------------------------------

    def start(self, port: int = 0) -> str:
        """Serve on 127.0.0.1:`port` (0: any free port) in a daemon thread; return the base URL."""
        if self._server is not None:
            return self.base_url
        server = ThreadingHTTPServer((HOST, port), _make_handler(self))
        server.daemon_threads = True
        self._server = server
        self.base_url = f"http://{HOST}:{server.server_address[1]}"
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="gworkflow-sandbox",
            daemon=True,
        )
        self._thread.start()
        return self.base_url

    def stop(self) -> None:
        if self._server is None:
            return
        with self.lock:
            self._save()  # changes made through the Python API (sandbox.docs...) are kept too
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def serve_forever(self) -> None:
        """Block until stop() or KeyboardInterrupt (for `gworkflow sandbox serve`)."""
        if self._thread is not None:
            while self._thread.is_alive():
                self._thread.join(timeout=0.5)

    def __enter__(self) -> Sandbox:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- dispatch (called from handler threads) ---------------------------------------------

    def handle(
        self, method: str, raw_path: str, headers: dict[str, str], raw_body: bytes
    ) -> _Answer:
        url = urlsplit(raw_path)
        path = url.path
        query = parse_qs(url.query, keep_blank_values=True)
        refused = self._edge_refusal(method, path, headers, raw_body)
        if refused is not None:
            return refused
        if path.startswith("/_sandbox/") or path == "/_sandbox":
            return self._admin(method, path, raw_body)
        if path == "/" or path.startswith("/view/"):
            return self._html(method, path, query)
        return self._api(method, path, query, headers, raw_body)

    def _api(
        self,
        method: str,
        path: str,
        query: dict[str, list[str]],
        headers: dict[str, str],
        raw_body: bytes,
    ) -> _Answer:
        family = _family(path)
        over_quota = self.quotas.refusal(family, method, headers)
        if over_quota is not None:  # Google's front end refuses before anything else
            self._log(method, path, query, over_quota[0])
            return _Answer(*over_quota)
        fault = self.faults.take(method, path)
        if fault is not None and fault.latency_ms:
            time.sleep(fault.latency_ms / 1000)
        if fault is not None and fault.mode == "error":
            answer = _fault_answer(family, fault, method)
        else:
            if fault is not None and fault.mode == "concurrent_edit":
                self._collaborator_edit(path)
            answer = self._route(family, method, path, query, headers, raw_body)
            if fault is not None and fault.mode == "apply_then_fail" and answer.status < 400:
                answer = _fault_answer(family, fault, method)
        self._log(method, path, query, answer.status)
        return answer

    def _route(
        self,
        family: str | None,
        method: str,
        path: str,
        query: dict[str, list[str]],
        headers: dict[str, str],
        raw_body: bytes,
    ) -> _Answer:
        try:
            with self.lock:
                if family in ("docs", "calendar", "drive"):
                    user = headers.get(USER_HEADER) or self.acting_user
                    with self.calendar.acting_as(user):
                        answer = self._google(family, method, path, query, raw_body)
                elif family == "oauth":
                    answer = self._oauth(method, path, query, raw_body)
                elif family == "zoom":
                    answer = self._zoom(method, path, query, headers, raw_body)
                else:
                    raise ApiError(
                        404, f"The requested URL {path} was not found on this server.", "notFound"
                    )
                if method != "GET":
                    self._save()
                return answer
        except ApiError as error:
            return _error_answer(family, error)
        except OAuthError as error:
            return _Answer(error.status, error.body())
        except ZoomError as error:
            return _Answer(error.status, error.body)

    def _google(
        self, api: str, method: str, path: str, query: dict[str, list[str]], raw_body: bytes
    ) -> _Answer:
        body: Any = None
        if raw_body.strip():
            try:
                body = json.loads(raw_body)
            except ValueError:
                raise ApiError(
                    400, "Invalid JSON payload received. Unexpected token.", "parseError"
                ) from None
        resolved = validate_request(api, method, path, query, body)
        return self._call(resolved)

    def _call(self, r: ResolvedMethod) -> _Answer:
        p, q, body = r.path_params, r.query, r.body
        if r.method_id == "docs.documents.create":
            return _Answer(200, self.docs.create(body))
        if r.method_id == "docs.documents.get":
            # `fields` is accepted (validated as a string) but not applied: whole documents are fine.
            include = bool(q.get("includeTabsContent", False))
            return _Answer(200, self.docs.get(p["documentId"], include_tabs_content=include))
        if r.method_id == "docs.documents.batchUpdate":
            limit = self.quotas.doc_max_chars
            return _Answer(200, self.docs.batch_update(p["documentId"], body, max_chars=limit))
        if r.method_id == "calendar.events.insert":
            return _Answer(200, self.calendar.insert(p["calendarId"], body, q))
        if r.method_id == "calendar.events.get":
            return _Answer(200, self.calendar.get(p["calendarId"], p["eventId"], q))
        if r.method_id == "calendar.events.list":
            return _Answer(200, self.calendar.list(p["calendarId"], q))
        if r.method_id == "calendar.events.patch":
            return _Answer(200, self.calendar.patch(p["calendarId"], p["eventId"], body, q))
        if r.method_id == "calendar.events.update":
            return _Answer(200, self.calendar.update(p["calendarId"], p["eventId"], body, q))
        if r.method_id == "calendar.events.delete":
            self.calendar.delete(p["calendarId"], p["eventId"], q)
            return _Answer(204)
        if r.method_id == "calendar.events.instances":
            return _Answer(200, self.calendar.instances(p["calendarId"], p["eventId"], q))
        if r.method_id == "drive.about.get":
            user = self.calendar.user
            return _Answer(200, self.drive.about(q, None if user == SANDBOX_USER else user))
        if r.method_id == "drive.files.get":
            return _Answer(200, self.drive.get_file(p["fileId"], q))
        if r.method_id == "drive.files.update":
            return _Answer(200, self.drive.update_file(p["fileId"], body, q))
        if r.method_id == "drive.permissions.create":
            return _Answer(200, self.drive.create_permission(p["fileId"], body, q))
        if r.method_id == "drive.permissions.list":
            return _Answer(200, self.drive.list_permissions(p["fileId"], q))
        raise ApiError(501, f"The sandbox does not emulate {r.method_id}.", "notImplemented")

    def _collaborator_edit(self, path: str) -> None:
        """Another person types a paragraph at the end of the first tab (bumps the revision)."""
        m = re.fullmatch(r"/v1/documents/([^/]+):batchUpdate", path)
        if m is None:
            return
        doc_id = unquote(m.group(1))
        with self.lock:
            try:
                doc = self.docs.get(doc_id, include_tabs_content=True)
                tabs = doc.get("tabs") or []
                location: JSON = {}
                if tabs:
                    location["tabId"] = tabs[0].get("tabProperties", {}).get("tabId")
                # A leading newline makes the edit its own paragraph after the last one.
                request = {
                    "insertText": {
                        "text": "\n" + COLLABORATOR_TEXT,
                        "endOfSegmentLocation": location,
                    }
                }
                self.docs.batch_update(doc_id, {"requests": [request]})
            except ApiError:
                return  # no such document: the batchUpdate itself will answer 404
            self._save()

    def type_in(self, doc_id: str, request: TypeRequest) -> _Answer:
        """A person's typing (people.py), applied as a documents.batchUpdate through the
        Docs route (schema check included) and logged as one, but never faulted."""
        with self.lock:
            doc = self.docs.get(doc_id, include_tabs_content=True)
            body = {"requests": typing_requests(doc, request)}
            path = f"/v1/documents/{quote(doc_id, safe='')}:batchUpdate"
            answer = self._route("docs", "POST", path, {}, {}, json.dumps(body).encode())
            self._log("POST", path, {}, answer.status)
        if answer.status >= 400:
            return _Answer(answer.status, {"error": answer.body["error"]["message"]})
        return answer

    # -- OAuth and Zoom -------------------------------------------------------------------

    def _oauth(
        self, method: str, path: str, query: dict[str, list[str]], raw_body: bytes
    ) -> _Answer:
        if method != "POST":
            raise OAuthError(405, "invalid_request", "Method not allowed.")
        form = _form(query, raw_body)
        if path == "/token":
            return _Answer(200, self.oauth.token(form))
        self.oauth.revoke(form.get("token", ""))
        return _Answer(200, {})

    def _zoom(
        self,
        method: str,
        path: str,
        query: dict[str, list[str]],
        headers: dict[str, str],
        raw_body: bytes,
    ) -> _Answer:
        auth = headers.get("authorization")
        if path == "/zoom/oauth/token" and method == "POST":
            return _Answer(200, self.zoom.token(_form(query, raw_body), auth))
        if path == "/zoom/v2/users/me/meetings" and method == "POST":
            self.zoom.check_bearer(auth)
            try:
                body = json.loads(raw_body or b"{}")
            except ValueError:
                raise ZoomError(
                    400, {"code": 300, "message": "Request Body should be a valid JSON object."}
                ) from None
            return _Answer(201, self.zoom.create_meeting(body))
        m = re.fullmatch(r"/zoom/v2/meetings/(\d+)", path)
        if m is not None and method == "GET":
            self.zoom.check_bearer(auth)
            return _Answer(200, self.zoom.get_meeting(m.group(1)))
        raise ZoomError(404, {"code": 404, "message": "Invalid api."})

    # -- admin ----------------------------------------------------------------------------

    def _admin(self, method: str, path: str, raw_body: bytes) -> _Answer:
        try:
            body: Any = json.loads(raw_body) if raw_body.strip() else {}
        except ValueError:
            return _Answer(400, {"error": "the body is not JSON"})
        if not isinstance(body, dict):  # every admin route takes a JSON object, or nothing
            kinds = {list: "a list", str: "a string", bool: "true/false", type(None): "null"}
            kind = kinds.get(type(body), "a number")
            return _Answer(400, {"error": f"POST a JSON object, not {kind}"})
        try:
            with self.lock:
                answer = self._admin_route(method, path, body)
                if method != "GET":
                    self._save()
                return answer
        except ApiError as error:
            return _Answer(error.code, {"error": error.message})
        except (BehaviorError, FaultError) as error:
            return _Answer(400, {"error": str(error)})
        except (ValueError, TypeError, KeyError) as error:
            return _Answer(400, {"error": str(error)})

    def _edge_refusal(
        self, method: str, path: str, headers: dict[str, str], raw_body: bytes
    ) -> _Answer | None:
        """Refuse what a foreign web page could send (edge.py): 403 for another Host or
        Origin, 415 for an admin body not declared as JSON."""
        port = self._server.server_address[1] if self._server is not None else None
        reason = edge.foreign_request(method, path, headers, port)
        if reason is not None:
            family = _family(path)
            if family in ("docs", "calendar", "drive"):
                return _error_answer(family, ApiError(403, reason, "forbidden"))
            return _Answer(403, {"error": reason})
        if edge.needs_json_content_type(method, path, headers, raw_body):
            return _Answer(
                415, {"error": "admin requests with a body need Content-Type: application/json"}
            )
        return None

    def _extra_admin_route(self, method: str, path: str, body: JSON) -> _Answer | None:
        """The quota settings and the trash: GET/POST /_sandbox/quotas, POST
        /_sandbox/documents/{id}:trash and :untrash. None for any other route."""
        if path == "/_sandbox/quotas" and method == "GET":
            return _Answer(200, self.quotas.settings())
        if path == "/_sandbox/quotas" and method == "POST":
            return _Answer(200, self.quotas.configure(body))
        m = re.fullmatch(r"/_sandbox/documents/([^/:]+):(trash|untrash)", path)
        if m is not None and method == "POST":
            trashed = m.group(2) == "trash"
            return _Answer(200, self.drive.set_trashed(unquote(m.group(1)), trashed))
        return None

    def _admin_route(self, method: str, path: str, body: Any) -> _Answer:
        route = (method, path.rstrip("/"))
        extra = self._extra_admin_route(method, route[1], body)
        if extra is not None:
            return extra
        if route == ("POST", "/_sandbox/reset"):
            self.reset()
            return _Answer(200, {})
        if route == ("GET", "/_sandbox/behaviors"):
            return _Answer(200, self.behaviors.to_json())
        if route == ("POST", "/_sandbox/behaviors"):
            if not isinstance(body, dict):
                raise BehaviorError("POST a JSON object of behavior: value")
            return _Answer(200, self.behaviors.update(body))
        if route == ("POST", "/_sandbox/users"):
            self.calendar.add_user(_text(body, "email"))
            return _Answer(200, {"users": self.calendar.users()})
        if route == ("POST", "/_sandbox/calendars"):
            user = _text(body, "user") or None
            self.calendar.add_calendar(_text(body, "id"), _text(body, "access"), user)
            return _Answer(200, {})
        if route == ("GET", "/_sandbox/act-as"):
            return _Answer(200, {"email": self.acting_user or SANDBOX_USER})
        if route == ("POST", "/_sandbox/act-as"):
            self.act_as(_text(body, "email") or None)
            return _Answer(200, {"email": self.acting_user or SANDBOX_USER})
        if route == ("POST", "/_sandbox/documents"):
            if not isinstance(body, dict):
                raise ValueError("POST a documents.get JSON object")
            return _Answer(200, {"documentId": self.docs.seed(body)})
        m = re.fullmatch(r"/_sandbox/documents/([^/:]+):type", route[1])
        if m is not None and method == "POST":
            return self.type_in(unquote(m.group(1)), TypeRequest.from_json(body))
        m = re.fullmatch(r"/_sandbox/documents/([^/]+)", route[1])
        if m is not None and method == "DELETE":
            self.docs.delete(unquote(m.group(1)))
            return _Answer(200, {})
        if route == ("GET", "/_sandbox/requests"):
            return _Answer(200, self.requests_log())
        if route == ("DELETE", "/_sandbox/requests"):
            self.clear_requests()
            return _Answer(200, {})
        if route == ("GET", "/_sandbox/faults"):
            return _Answer(200, self.faults.pending())
        if route == ("POST", "/_sandbox/faults"):
            if not isinstance(body, dict):
                raise ValueError("POST a fault object")
            return _Answer(200, self.faults.add_from_json(body).to_json())
        if route == ("DELETE", "/_sandbox/faults"):
            self.faults.clear()
            return _Answer(200, {})
        if route == ("POST", "/_sandbox/tokens"):
            scope = body.get("scope") if isinstance(body, dict) else None
            token = self.oauth.mint(scope) if scope else self.oauth.mint()
            return _Answer(200, {"refresh_token": token})
        if route == ("POST", "/_sandbox/tokens/revoke"):
            self.oauth.revoke(str(body.get("token", "")))
            return _Answer(200, {})
        if route == ("GET", "/_sandbox/state"):
            state = self.to_state()
            state["share_notifications"] = list(self.drive.notifications)
            state["invitations"] = list(self.calendar.invitations)
            return _Answer(200, state)
        return _Answer(404, {"error": f"no admin route {method} {path}"})

    # -- HTML -----------------------------------------------------------------------------

    def _html(self, method: str, path: str, query: dict[str, list[str]]) -> _Answer:
        if method != "GET":
            return _Answer(405, "Method not allowed", "text/plain; charset=utf-8")
        with self.lock:
            if path == "/":
                page = html_view.render_index(self.docs.summaries(), self.calendar.summaries())
                return _Answer(200, page, "text/html; charset=utf-8")
            m = re.fullmatch(r"/view/documents/([^/]+)", path)
            if m is None:
                page = html_view.render_error(404, f"The sandbox has no page {path}.")
                return _Answer(404, page, "text/html; charset=utf-8")
            try:
                doc = self.docs.get(unquote(m.group(1)), include_tabs_content=True)
            except ApiError as error:
                page = html_view.render_error(error.code, error.message)
                return _Answer(error.code, page, "text/html; charset=utf-8")
            # ?tab= picks the tab shown, as in a Google Docs URL.
            tabs = query.get("tab") or []
            page = html_view.render_document(doc, tab_id=tabs[-1] if tabs else None)
            return _Answer(200, page, "text/html; charset=utf-8")


def _restored(store: Any, state: Any, **kwargs: Any) -> Any:
    """A store restored from `state`, whether its from_state is a classmethod or a method."""
    if state is None:
        return store
    result = store.from_state(state, **kwargs) if kwargs else store.from_state(state)
    return store if result is None else result


def _text(body: Any, name: str) -> str:
    """A string field of an admin request's JSON object ("" when absent or null)."""
    if not isinstance(body, dict):
        raise ValueError(f"POST a JSON object with {name!r}")
    value = body.get(name)
    return "" if value is None else str(value)


def _family(path: str) -> str | None:
    if path in ("/token", "/revoke"):
        return "oauth"
    if path.startswith("/zoom/"):
        return "zoom"
    return api_for_path(path)


def _form(query: dict[str, list[str]], raw_body: bytes) -> dict[str, str]:
    """Form fields from the urlencoded body, then the query string (both are accepted)."""
    fields = {k: v[-1] for k, v in query.items()}
    fields.update({k: v[-1] for k, v in parse_qs(raw_body.decode("utf-8", "replace")).items()})
    return fields


def _error_answer(family: str | None, error: ApiError) -> _Answer:
    if family == "docs":
        return _Answer(error.code, error.docs_body())
    if family in ("calendar", "drive"):
        return _Answer(error.code, error.v3_body())
    # An unknown route: Google's front end answers with both shapes' fields.
    body = error.docs_body()
    body["error"]["errors"] = error.v3_body()["error"]["errors"]
    return _Answer(error.code, body)


def _fault_answer(family: str | None, fault: Fault, method: str) -> _Answer:
    """The error an armed fault answers: the body Google gives that status on that API."""
    status = fault.status if fault.mode != "apply_then_fail" or fault.status >= 400 else 503
    if family == "oauth":
        return _Answer(status, {"error": "internal_failure", "error_description": "Backend Error"})
    if family == "zoom":
        return _Answer(status, {"code": status, "message": "Injected failure (sandbox fault)."})
    try:
        check_fault_body(family or "docs", Fault(**{**fault.to_json(), "status": status}))
    except FaultError as error:
        # A path the armed-time check could not place (a literal id, an odd regex):
        # say so instead of inventing a body Google never sends.
        sandbox_error = ApiError(500, f"sandbox fault not answerable here: {error}")
        return _Answer(500, sandbox_error.docs_body())
    if status == 502:
        return _Answer(status, FRONT_END_502, "text/html; charset=UTF-8")
    if family in ("calendar", "drive"):
        return _Answer(status, v3_fault_body(status, fault.reason))
    return _Answer(status, docs_fault_body(status, method))


def _make_handler(sandbox: Sandbox) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "gworkflow-sandbox"
        # Headers and body go out in separate writes; with Nagle on, each answer on a kept-
        # alive connection waits ~40 ms for the client's delayed ACK.
        disable_nagle_algorithm = True

        def _serve(self) -> None:
            raw_body = self._read_body()
            if raw_body is None:
                return
            headers = {k.lower(): v for k, v in self.headers.items()}
            try:
                answer = sandbox.handle(self.command, self.path, headers, raw_body)
            except Exception as error:  # a sandbox bug must not hang the client: answer 500
                answer = _Answer(
                    500,
                    {
                        "error": {
                            "code": 500,
                            "message": f"sandbox bug: {error!r}",
                            "status": "INTERNAL",
                        }
                    },
                )
            self._send(answer)

        def _read_body(self) -> bytes | None:
            """The body Content-Length announces; None (after answering 400 and closing the
            connection) when the length is unusable or the body does not arrive whole."""
            try:
                length = edge.body_length(
                    self.headers.get_all("Content-Length") or [],
                    self.headers.get("Transfer-Encoding"),
                )
            except edge.BadRequest as error:
                self._refuse(str(error))
                return None
            if not length:
                return b""
            # A client that announces more than it sends must not hold a thread forever.
            self.connection.settimeout(edge.BODY_TIMEOUT_SECONDS)
            try:
                raw_body = self.rfile.read(length)
            except OSError:  # a timeout included
                raw_body = b""
            finally:
                self.connection.settimeout(None)
            if len(raw_body) != length:
                self._refuse(
                    f"the body ended after {len(raw_body)} of its {length} bytes (Content-Length)"
                )
                return None
            return raw_body

        def _refuse(self, message: str) -> None:
            self.close_connection = True  # the rest of the stream cannot be trusted
            self._send(_Answer(400, {"error": message}))

        def _send(self, answer: _Answer) -> None:
            payload = answer.payload()
            self.send_response(answer.status)
            if answer.status != 204:
                self.send_header("Content-Type", answer.content_type)
            if self.close_connection:
                self.send_header("Connection", "close")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if payload and self.command != "HEAD":
                self.wfile.write(payload)

        do_GET = _serve
        do_POST = _serve
        do_PUT = _serve
        do_PATCH = _serve
        do_DELETE = _serve

        def log_message(self, format: str, *args: Any) -> None:
            pass  # the request log is /_sandbox/requests; stderr stays quiet

    return Handler
