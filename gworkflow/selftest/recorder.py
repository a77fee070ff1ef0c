"""Recording every request the self-test sends and every answer, for `--report FILE`.

`Recorder.wrap` wraps the HTTP object of each discovery client (see `build_clients`'s
`wrap_http`): it sits outside google-auth, so it sees the API requests (retries included)
but never the token endpoint's. `redact` then removes what must not leave the machine in a
bug report: Authorization and cookie headers, anything that looks like a token or secret,
e-mail addresses (each replaced by a stable `<email-N>`, also inside URLs and Calendar's
`eid` links) and people's display names.
"""

from __future__ import annotations

import json
import re
import time
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

from gworkflow.types import JSON

_SECRET_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-goog-api-key"}
)
_SECRET_KEY = re.compile(r"(^|_)(token|secret|password|api_?key|credential)s?($|_)", re.I)
_NAME_KEYS = frozenset({"displayName"})
_SECRET_QUERY = frozenset({"access_token", "key", "token", "eid", "refresh_token"})
# An e-mail address, plain or with its @ percent-encoded in a URL.
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+(?:@|%40)[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# Google access and refresh tokens, and any bearer credential written out.
_TOKENS = re.compile(r"\bya29\.[\w.-]+|\b1//[\w.-]+|\bbearer\s+\S+", re.I)
# Calendar's htmlLink carries eid=base64("<event id> <calendar e-mail>").
_EID = re.compile(r"([?&]eid=)[^&\s\"]+")
REDACTED = "[redacted]"


@dataclass
class Exchange:
    """One HTTP request and its answer, as sent and received (not yet redacted)."""

    probe: str
    method: str
    uri: str
    request_headers: dict[str, str]
    request_body: Any
    status: int
    response_headers: dict[str, str]
    response_body: Any
    seconds: float

    def as_json(self) -> JSON:
        return {
            "probe": self.probe,
            "request": {
                "method": self.method,
                "uri": self.uri,
                "headers": self.request_headers,
                "body": self.request_body,
            },
            "response": {
                "status": self.status,
                "headers": self.response_headers,
                "body": self.response_body,
            },
            "seconds": round(self.seconds, 3),
        }


@dataclass
class Recorder:
    """Collects the exchanges of a run; `probe` names the step that is running."""

    probe: str = "setup"
    exchanges: list[Exchange] = field(default_factory=list)

    def wrap(self, http: Any) -> Any:
        """An HTTP object that behaves as `http` and records each request."""
        return RecordingHttp(http, self)


class RecordingHttp:
    """A stand-in for an (authorized) httplib2.Http: `request()` passes through and
    records; every other attribute is the wrapped object's."""

    def __init__(self, inner: Any, recorder: Recorder) -> None:
        self._inner = inner
        self._recorder = recorder

    def request(
        self,
        uri: str,
        method: str = "GET",
        body: Any = None,
        headers: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> Any:
        started = time.monotonic()
        sent_headers = dict(headers or {})
        try:
            resp, content = self._inner.request(
                uri, method=method, body=body, headers=headers, **kwargs
            )
        except Exception as exc:
            self._recorder.exchanges.append(
                Exchange(
                    self._recorder.probe,
                    method,
                    uri,
                    sent_headers,
                    _decoded(body),
                    0,
                    {},
                    f"no answer: {type(exc).__name__}: {exc}",
                    time.monotonic() - started,
                )
            )
            raise
        self._recorder.exchanges.append(
            Exchange(
                self._recorder.probe,
                method,
                uri,
                sent_headers,
                _decoded(body),
                int(getattr(resp, "status", 0) or 0),
                {str(k): str(v) for k, v in dict(resp).items()},
                _decoded(content),
                time.monotonic() - started,
            )
        )
        return resp, content

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def _decoded(body: Any) -> Any:
    """A body as JSON when it is JSON, else as text."""
    if body is None:
        return None
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    if not isinstance(body, str):
        return repr(body)
    if not body:
        return ""
    try:
        return json.loads(body)
    except ValueError:
        return body


class Redactor:
    """Removes secrets and personal data from JSON-able values. E-mail addresses become
    `<email-N>`, the same N for the same address throughout one report."""

    def __init__(self) -> None:
        self._emails: dict[str, str] = {}

    def value(self, value: Any, key: str = "") -> Any:
        if isinstance(value, dict):
            return {k: self.value(v, str(k)) for k, v in value.items()}
        if isinstance(value, list):
            return [self.value(item, key) for item in value]
        if isinstance(value, str):
            if key and _SECRET_KEY.search(key):
                return REDACTED
            if key in _NAME_KEYS:
                return "<name>"
            return self.text(value)
        return value

    def headers(self, headers: dict[str, str]) -> dict[str, str]:
        return {
            k: REDACTED if k.lower() in _SECRET_HEADERS else self.text(v)
            for k, v in headers.items()
        }

    def uri(self, uri: str) -> str:
        parts = urllib.parse.urlsplit(uri)
        query = [
            (k, REDACTED if k.lower() in _SECRET_QUERY else v)
            for k, v in urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
        ]
        cleaned = parts._replace(query=urllib.parse.urlencode(query, safe="=,:()*"))
        return self.text(urllib.parse.urlunsplit(cleaned))

    def text(self, text: str) -> str:
        text = _TOKENS.sub(REDACTED, text)
        text = _EID.sub(lambda m: m.group(1) + REDACTED, text)
        return _EMAIL.sub(self._email, text)

    def _email(self, match: re.Match[str]) -> str:
        address = urllib.parse.unquote(match.group(0)).lower()
        if address not in self._emails:
            self._emails[address] = f"<email-{len(self._emails) + 1}>"
        return self._emails[address]

    def exchange(self, exchange: Exchange) -> JSON:
        raw = exchange.as_json()
        request, response = raw["request"], raw["response"]
        request["uri"] = self.uri(request["uri"])
        request["headers"] = self.headers(request["headers"])
        request["body"] = self.value(request["body"])
        response["headers"] = self.headers(response["headers"])
        response["body"] = self.value(response["body"])
        return raw


def redacted_report(summary: JSON, exchanges: list[Exchange], meta: JSON) -> JSON:
    """The full JSON of `--report`: `meta` and the summary (endpoint, probes, clean-up) and
    every exchange, all redacted with one `Redactor`."""
    redactor = Redactor()
    report: JSON = {**meta, **summary}
    cleaned = redactor.value(report)
    assert isinstance(cleaned, dict)
    cleaned["exchanges"] = [redactor.exchange(e) for e in exchanges]
    return cleaned
