"""The sandbox's per-user quotas: Google's published limits over a sliding window, and the
answers Google gives past them (docs/google-api-notes.md, *Docs quotas and the 429 answer*,
*Calendar quotas*, *Rate limits: 403 and 429*, *Drive quotas*)."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from click.testing import CliRunner
from googleapiclient.errors import HttpError

from gworkflow.cli.sandbox_cmd import sandbox as sandbox_group
from gworkflow.google.clients import build_clients
from gworkflow.sandbox.server import Sandbox

REFUSED_NONE = {"docs_read": 0, "docs_write": 0, "calendar": 0, "drive": 0}


class FakeClock:
    """Monotonic seconds that only move when a test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def box(clock: FakeClock) -> Iterator[Sandbox]:
    with Sandbox() as sandbox:
        sandbox.quotas.clock = clock
        yield sandbox


def call(
    box: Sandbox,
    method: str,
    path: str,
    body: Any = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, Any, Any]:
    """A raw request: (status, JSON body, response headers)."""
    data = None if body is None else json.dumps(body).encode()
    all_headers = {"Content-Type": "application/json", **(headers or {})}
    request = urllib.request.Request(
        box.base_url + path, data=data, method=method, headers=all_headers
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            raw, status, got = answer.read(), answer.status, answer.headers
    except urllib.error.HTTPError as error:
        raw, status, got = error.read(), error.code, error.headers
    is_json = (got.get("Content-Type") or "").startswith("application/json")
    return status, (json.loads(raw) if raw and is_json else raw.decode()), got


def new_doc(box: Sandbox) -> str:
    """A document made through the Python API (not counted against any quota)."""
    return str(box.docs.create({"title": "Quota"})["documentId"])


def write(box: Sandbox, doc_id: str, headers: dict[str, str] | None = None) -> tuple[int, Any]:
    body = {"requests": [{"insertText": {"text": "x", "location": {"index": 1}}}]}
    status, answer, _ = call(box, "POST", f"/v1/documents/{doc_id}:batchUpdate", body, headers)
    return status, answer


def read(box: Sandbox, doc_id: str) -> tuple[int, Any]:
    status, answer, _ = call(box, "GET", f"/v1/documents/{doc_id}")
    return status, answer


def configure(box: Sandbox, **settings: Any) -> Any:
    status, answer, _ = call(box, "POST", "/_sandbox/quotas", settings)
    assert status == 200, answer
    return answer


def docs_429(metric: str, limit_name: str, short: str) -> dict[str, Any]:
    message = (
        f"Quota exceeded for quota metric '{short}' and limit '{short} per minute per user' "
        "of service 'docs.googleapis.com' for consumer 'project_number:0'."
    )
    return {
        "error": {
            "code": 429,
            "message": message,
            "status": "RESOURCE_EXHAUSTED",
            "details": [
                {
                    "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                    "reason": "RATE_LIMIT_EXCEEDED",
                    "domain": "googleapis.com",
                    "metadata": {
                        "consumer": "projects/0",
                        "quota_limit": limit_name,
                        "quota_metric": f"docs.googleapis.com/{metric}",
                        "service": "docs.googleapis.com",
                    },
                }
            ],
        }
    }


WRITE_429 = docs_429("write_requests", "WriteRequestsPerMinutePerUser", "Write requests")


# -- defaults ------------------------------------------------------------------------------


def test_defaults_are_googles_published_per_user_limits(box: Sandbox) -> None:
    status, settings, _ = call(box, "GET", "/_sandbox/quotas")
    assert status == 200
    assert settings == {
        "enabled": True,
        "window_seconds": 60,
        "docs_read": 300,
        "docs_write": 60,
        "calendar": 600,
        "drive": 12000,
        "calendar_status": 403,
        "drive_status": 403,
        "doc_max_chars": 1020000,
        "refused": REFUSED_NONE,
    }


# -- Docs writes and reads -----------------------------------------------------------------


def test_the_61st_write_in_a_minute_is_googles_429_and_nothing_is_applied(
    box: Sandbox, clock: FakeClock
) -> None:
    doc_id = new_doc(box)
    for n in range(60):
        clock.now += 0.5  # 60 writes within 30 seconds
        assert write(box, doc_id)[0] == 200, n
    revision = box.docs.get(doc_id, True)["revisionId"]

    status, answer, headers = call(
        box,
        "POST",
        f"/v1/documents/{doc_id}:batchUpdate",
        {"requests": [{"insertText": {"text": "x", "location": {"index": 1}}}]},
    )

    assert status == 429
    assert answer == WRITE_429
    # Google documents exponential backoff, not a Retry-After header, for these quotas.
    assert headers.get("Retry-After") is None
    assert box.docs.get(doc_id, True)["revisionId"] == revision
    assert box.requests_log()[-1]["status"] == 429


def test_the_window_slides_a_write_is_accepted_once_the_oldest_is_a_minute_old(
    box: Sandbox, clock: FakeClock
) -> None:
    doc_id = new_doc(box)
    start = clock.now
    for _ in range(30):
        assert write(box, doc_id)[0] == 200  # 30 at t = 0
    clock.now = start + 30
    for _ in range(30):
        assert write(box, doc_id)[0] == 200  # 30 at t = 30 s
    clock.now = start + 59.9
    assert write(box, doc_id)[0] == 429  # all 60 still within the last minute
    clock.now = start + 60.1
    for _ in range(30):  # the 30 from t = 0 left the window; those from t = 30 s did not
        assert write(box, doc_id)[0] == 200
    assert write(box, doc_id)[0] == 429
    clock.now = start + 90.1
    assert write(box, doc_id)[0] == 200


def test_reads_and_writes_are_counted_apart(box: Sandbox) -> None:
    doc_id = new_doc(box)
    configure(box, docs_read=3, docs_write=2)
    assert [write(box, doc_id)[0] for _ in range(3)] == [200, 200, 429]
    assert [read(box, doc_id)[0] for _ in range(3)] == [200, 200, 200]
    status, answer = read(box, doc_id)
    assert status == 429
    assert answer == docs_429(
        "read_requests", "ReadRequestsPerMinutePerUser", "Quota group for read operations"
    )
    # documents.create is a write too.
    assert call(box, "POST", "/v1/documents", {"title": "More"})[0] == 429


def test_refused_requests_are_counted_per_quota(box: Sandbox) -> None:
    doc_id = new_doc(box)
    configure(box, docs_read=1, docs_write=1, calendar=1, drive=1)
    for _ in range(3):
        write(box, doc_id)
    for _ in range(2):
        read(box, doc_id)
    for _ in range(4):
        call(box, "GET", "/calendar/v3/calendars/primary/events")
    call(box, "GET", f"/drive/v3/files/{doc_id}")
    status, settings, _ = call(box, "GET", "/_sandbox/quotas")
    assert status == 200
    assert settings["refused"] == {"docs_read": 1, "docs_write": 2, "calendar": 3, "drive": 0}


# -- Calendar and Drive --------------------------------------------------------------------


def test_calendar_over_quota_is_403_rate_limit_exceeded_by_default(box: Sandbox) -> None:
    configure(box, calendar=2)
    path = "/calendar/v3/calendars/primary/events"
    assert call(box, "GET", path)[0] == 200
    assert call(box, "GET", path)[0] == 200
    status, answer, _ = call(box, "GET", path)
    assert status == 403
    assert answer == {
        "error": {
            "errors": [
                {
                    "domain": "usageLimits",
                    "reason": "rateLimitExceeded",
                    "message": "Rate Limit Exceeded",
                }
            ],
            "code": 403,
            "message": "Rate Limit Exceeded",
        }
    }


def test_calendar_can_answer_429_instead(box: Sandbox) -> None:
    configure(box, calendar=0, calendar_status=429)
    status, answer, _ = call(box, "GET", "/calendar/v3/calendars/primary/events")
    assert status == 429
    assert answer["error"]["code"] == 429
    assert answer["error"]["errors"][0]["reason"] == "rateLimitExceeded"


def test_drive_over_quota_is_403_user_rate_limit_exceeded(box: Sandbox) -> None:
    doc_id = new_doc(box)
    configure(box, drive=1)
    assert call(box, "GET", f"/drive/v3/files/{doc_id}")[0] == 200
    status, answer, _ = call(box, "GET", f"/drive/v3/files/{doc_id}")
    assert status == 403
    assert answer["error"]["errors"] == [
        {
            "domain": "usageLimits",
            "reason": "userRateLimitExceeded",
            "message": "User Rate Limit Exceeded",
        }
    ]


# -- whose window --------------------------------------------------------------------------


def test_each_bearer_token_has_its_own_window(box: Sandbox) -> None:
    doc_id = new_doc(box)
    configure(box, docs_write=1)
    ruth = {"Authorization": "Bearer ruth-token"}
    heather = {"Authorization": "Bearer heather-token"}
    assert write(box, doc_id, ruth)[0] == 200
    assert write(box, doc_id, ruth)[0] == 429
    assert write(box, doc_id, heather)[0] == 200
    assert write(box, doc_id)[0] == 200  # no token: the anonymous user
    assert write(box, doc_id)[0] == 429


def test_admin_html_oauth_and_zoom_routes_are_never_counted(box: Sandbox) -> None:
    configure(box, docs_read=0, docs_write=0, calendar=0, drive=0)
    for _ in range(3):
        assert call(box, "GET", "/_sandbox/state")[0] == 200
        assert call(box, "GET", "/")[0] == 200
        refresh = call(box, "POST", "/_sandbox/tokens", {})[1]["refresh_token"]
        request = urllib.request.Request(
            box.base_url + "/token",
            data=f"grant_type=refresh_token&refresh_token={refresh}"
            "&client_id=c&client_secret=s".encode(),
            method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            assert answer.status == 200
        assert call(box, "GET", "/zoom/v2/meetings/1")[0] != 429
    assert call(box, "GET", "/_sandbox/quotas")[1]["refused"] == REFUSED_NONE


# -- settings ------------------------------------------------------------------------------


def test_settings_merge_and_a_bad_update_changes_nothing(box: Sandbox) -> None:
    merged = configure(box, docs_write=5)
    assert merged["docs_write"] == 5 and merged["docs_read"] == 300
    merged = configure(box, window_seconds=0.5)
    assert merged["docs_write"] == 5 and merged["window_seconds"] == 0.5
    bad_updates: list[tuple[Any, str]] = [
        ({"docs_write": 1, "docs_wrte": 2}, "unknown quota setting 'docs_wrte'"),
        ({"docs_write": -1}, "docs_write must be a whole number"),
        ({"docs_read": 2.5}, "docs_read must be a whole number"),
        ({"calendar": True}, "calendar must be a whole number"),
        ({"window_seconds": 0}, "window_seconds must be a number of seconds above 0"),
        ({"enabled": "no"}, "enabled must be true or false"),
        ({"calendar_status": 500}, "calendar_status must be 403 or 429"),
        ({"doc_max_chars": 0}, "doc_max_chars must be a whole number above 0"),
        ({"refused": {}}, "unknown quota setting 'refused'"),
        ([1, 2], "POST a JSON object"),
    ]
    for body, message in bad_updates:
        status, answer, _ = call(box, "POST", "/_sandbox/quotas", body)
        assert status == 400 and message in answer["error"], (body, answer)
    after = call(box, "GET", "/_sandbox/quotas")[1]
    assert (after["docs_write"], after["window_seconds"]) == (5, 0.5)


def test_disabled_quotas_are_unlimited(box: Sandbox) -> None:
    doc_id = new_doc(box)
    configure(box, enabled=False, docs_write=0, docs_read=0)
    assert [write(box, doc_id)[0] for _ in range(5)] == [200] * 5
    assert [read(box, doc_id)[0] for _ in range(5)] == [200] * 5
    assert call(box, "GET", "/_sandbox/quotas")[1]["refused"] == REFUSED_NONE


def test_reset_empties_the_windows_and_restores_the_start_settings(box: Sandbox) -> None:
    doc_id = new_doc(box)
    configure(box, docs_write=1)
    write(box, doc_id)
    assert write(box, doc_id)[0] == 429
    assert call(box, "POST", "/_sandbox/reset")[0] == 200
    settings = call(box, "GET", "/_sandbox/quotas")[1]
    assert settings["docs_write"] == 60 and settings["refused"] == REFUSED_NONE
    doc_id = new_doc(box)
    assert write(box, doc_id)[0] == 200


def test_start_settings_are_what_reset_returns_to() -> None:
    with Sandbox(quotas={"docs_write": 2, "calendar_status": 429}) as box:
        configure(box, docs_write=40)
        box.reset()
        settings = call(box, "GET", "/_sandbox/quotas")[1]
        assert (settings["docs_write"], settings["calendar_status"]) == (2, 429)


# -- the real client -----------------------------------------------------------------------


def test_the_real_client_sees_a_429_with_the_error_info_then_the_window_slides() -> None:
    with Sandbox(quotas={"window_seconds": 0.5, "docs_write": 2}) as box:
        docs = build_clients(None, box.base_url).docs
        doc_id = docs.documents().create(body={"title": "Paced"}).execute()["documentId"]
        body = {"requests": [{"insertText": {"text": "a", "location": {"index": 1}}}]}
        docs.documents().batchUpdate(documentId=doc_id, body=body).execute()
        with pytest.raises(HttpError) as raised:
            docs.documents().batchUpdate(documentId=doc_id, body=body).execute()
        assert raised.value.resp.status == 429
        error = json.loads(raised.value.content)["error"]
        assert error["status"] == "RESOURCE_EXHAUSTED"
        assert error["details"][0]["reason"] == "RATE_LIMIT_EXCEEDED"
        assert "Write requests" in str(raised.value)
        time.sleep(0.6)
        reply = docs.documents().batchUpdate(documentId=doc_id, body=body).execute()
        assert reply["documentId"] == doc_id


# -- sandbox serve --quota -----------------------------------------------------------------


def test_serve_quota_options_set_the_start_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, Any] = {}

    def interrupted(self: Sandbox) -> None:
        seen.update(self.quotas.settings())
        raise KeyboardInterrupt

    monkeypatch.setattr(Sandbox, "serve_forever", interrupted)
    result = CliRunner().invoke(
        sandbox_group,
        [
            "serve",
            "--port",
            "0",
            "--quota",
            "docs_write=5",
            "--quota",
            "window_seconds=0.5",
            "--quota",
            "enabled=false",
            "--quota",
            "doc_max_chars=none",
        ],
    )
    assert result.exit_code == 0, result.output
    assert seen["docs_write"] == 5 and seen["window_seconds"] == 0.5
    assert seen["enabled"] is False and seen["doc_max_chars"] is None
    assert seen["docs_read"] == 300


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("docs_write", "expected KEY=VALUE"),
        ("docs_wrote=5", "unknown quota setting 'docs_wrote'"),
        ("docs_write=many", "docs_write: 'many' is not a number"),
        ("calendar_status=418", "calendar_status must be 403 or 429"),
    ],
)
def test_a_bad_serve_quota_option_is_a_one_line_usage_error(option: str, message: str) -> None:
    result = CliRunner().invoke(sandbox_group, ["serve", "--port", "0", "--quota", option])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
