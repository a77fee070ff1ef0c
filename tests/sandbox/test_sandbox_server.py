"""The sandbox over HTTP, driven by the real google-api-python-client and google-auth."""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from googleapiclient.errors import HttpError
from support.captures import FIXTURES
from support.htmltree import parse

from gworkflow.google.clients import GoogleClients, build_clients
from gworkflow.sandbox.server import COLLABORATOR_TEXT, Sandbox

TAB_FIXTURES = sorted(p.name for p in FIXTURES.glob("tabs-*.json"))


def _clock() -> datetime:
    return datetime(2025, 1, 6, 9, 0, tzinfo=UTC)


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(clock=_clock) as box:
        yield box


@pytest.fixture
def clients(sandbox: Sandbox) -> GoogleClients:
    return build_clients(None, sandbox.base_url)


def _http(
    sandbox: Sandbox,
    method: str,
    path: str,
    body: Any = None,
    *,
    form: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, Any]:
    """A raw request (for what the client library refuses to send, and the admin API)."""
    data: bytes | None = None
    all_headers = dict(headers or {})
    if form is not None:
        data = urllib.parse.urlencode(form).encode()
        all_headers["Content-Type"] = "application/x-www-form-urlencoded"
    elif body is not None:
        data = json.dumps(body).encode()
        all_headers["Content-Type"] = "application/json"
    request = urllib.request.Request(
        sandbox.base_url + path, data=data, method=method, headers=all_headers
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            raw = response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        raw = error.read()
        status = error.code
    text = raw.decode()
    try:
        return status, json.loads(text) if text else None
    except ValueError:
        return status, text


def _error_json(error: HttpError) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(error.content)
    return loaded


def _no_sleep(request: Any) -> Any:
    """Let googleapiclient retry without its real exponential back-off."""
    request._sleep = lambda _seconds: None
    request._rand = lambda: 0.0
    return request


def _new_doc(clients: GoogleClients, title: str = "Check-ins") -> str:
    return str(clients.docs.documents().create(body={"title": title}).execute()["documentId"])


def _insert(text: str, revision: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"requests": [{"insertText": {"text": text, "location": {"index": 1}}}]}
    if revision is not None:
        body["writeControl"] = {"requiredRevisionId": revision}
    return body


def _all_text(doc: dict[str, Any]) -> str:
    body = doc["tabs"][0]["documentTab"]["body"] if "tabs" in doc else doc["body"]
    return "".join(
        element.get("textRun", {}).get("content", "")
        for block in body["content"]
        for element in block.get("paragraph", {}).get("elements", [])
    )


# -- Docs through the real client ----------------------------------------------------------


def test_create_get_and_batch_update_with_the_real_client(clients: GoogleClients) -> None:
    doc_id = _new_doc(clients, "Mentoring")
    reply = (
        clients.docs.documents().batchUpdate(documentId=doc_id, body=_insert("Hello\n")).execute()
    )
    assert reply["documentId"] == doc_id
    assert reply["replies"] == [{}]
    doc = (
        clients.docs.documents()
        .get(documentId=doc_id, includeTabsContent=True, fields="*")
        .execute()
    )
    assert doc["title"] == "Mentoring"
    assert "Hello\n" in _all_text(doc)


def test_unknown_field_is_googles_400(clients: GoogleClients) -> None:
    doc_id = _new_doc(clients)
    body = {"requests": [{"insertText": {"text": "x", "location": {"index": 1}, "foo": "bar"}}]}
    with pytest.raises(HttpError) as caught:
        clients.docs.documents().batchUpdate(documentId=doc_id, body=body).execute()
    assert caught.value.resp.status == 400
    assert _error_json(caught.value) == {
        "error": {
            "code": 400,
            "message": "Invalid JSON payload received. Unknown name \"foo\" at 'requests[0].insert_text': "
            "Cannot find field.",
            "status": "INVALID_ARGUMENT",
        }
    }


def test_bad_bullet_preset_is_a_400_and_nothing_is_applied(clients: GoogleClients) -> None:
    doc_id = _new_doc(clients)
    before = clients.docs.documents().get(documentId=doc_id).execute()
    body = {
        "requests": [
            {"insertText": {"text": "item\n", "location": {"index": 1}}},
            {
                "createParagraphBullets": {
                    "range": {"startIndex": 1, "endIndex": 5},
                    "bulletPreset": "NOPE",
                }
            },
        ]
    }
    with pytest.raises(HttpError) as caught:
        clients.docs.documents().batchUpdate(documentId=doc_id, body=body).execute()
    assert caught.value.resp.status == 400
    assert "bullet_preset" in _error_json(caught.value)["error"]["message"]
    assert clients.docs.documents().get(documentId=doc_id).execute() == before


def test_bad_query_enum_is_a_v3_400(sandbox: Sandbox) -> None:
    # The client library refuses to send this, so send it by hand.
    status, body = _http(
        sandbox, "POST", "/calendar/v3/calendars/primary/events?sendUpdates=sometimes", {}
    )
    assert status == 400
    error = body["error"]
    assert error["code"] == 400
    assert error["errors"][0]["domain"] == "global"
    assert error["errors"][0]["reason"] == "invalid"
    assert "sometimes" in error["message"]


def test_missing_document_is_a_404_in_docs_shape(clients: GoogleClients) -> None:
    with pytest.raises(HttpError) as caught:
        clients.docs.documents().get(documentId="no-such-doc").execute()
    assert caught.value.resp.status == 404
    assert _error_json(caught.value)["error"]["status"] == "NOT_FOUND"


def test_unknown_route_is_a_google_ish_404(sandbox: Sandbox) -> None:
    status, body = _http(sandbox, "GET", "/gmail/v1/users/me/messages")
    assert status == 404
    assert body["error"]["code"] == 404
    assert body["error"]["errors"][0]["reason"] == "notFound"


# -- faults --------------------------------------------------------------------------------


def test_a_503_once_is_retried_through_by_execute(sandbox: Sandbox, clients: GoogleClients) -> None:
    doc_id = _new_doc(clients)
    sandbox.faults.add("POST", "/v1/documents/*:batchUpdate", status=503, count=1)
    request = _no_sleep(
        clients.docs.documents().batchUpdate(documentId=doc_id, body=_insert("Once\n"))
    )
    request.execute(num_retries=2)
    statuses = [e["status"] for e in sandbox.requests_log() if e["path"].endswith(":batchUpdate")]
    assert statuses == [503, 200]
    assert _all_text(clients.docs.documents().get(documentId=doc_id).execute()).count("Once") == 1


def test_a_503_without_retries_reaches_the_caller(sandbox: Sandbox, clients: GoogleClients) -> None:
    doc_id = _new_doc(clients)
    sandbox.faults.add("POST", ":batchUpdate$", status=503)
    with pytest.raises(HttpError) as caught:
        clients.docs.documents().batchUpdate(documentId=doc_id, body=_insert("x\n")).execute()
    assert caught.value.resp.status == 503
    assert _error_json(caught.value)["error"]["status"] == "UNAVAILABLE"
    # The fault is spent: the next call goes through.
    clients.docs.documents().batchUpdate(documentId=doc_id, body=_insert("x\n")).execute()


def test_429_bodies_per_api(sandbox: Sandbox, clients: GoogleClients) -> None:
    doc_id = _new_doc(clients)
    sandbox.faults.add("GET", "/v1/documents/*", status=429)
    with pytest.raises(HttpError) as docs_error:
        clients.docs.documents().get(documentId=doc_id).execute()
    docs_body = _error_json(docs_error.value)["error"]
    assert docs_error.value.resp.status == 429
    assert (docs_body["code"], docs_body["status"]) == (429, "RESOURCE_EXHAUSTED")
    assert "Quota exceeded" in docs_body["message"]

    sandbox.faults.add("GET", "/calendar/v3/*", status=403, reason="rateLimitExceeded")
    with pytest.raises(HttpError) as calendar_error:
        clients.calendar.events().list(calendarId="primary").execute()
    body = _error_json(calendar_error.value)["error"]
    assert calendar_error.value.resp.status == 403
    assert body["errors"][0]["reason"] == "rateLimitExceeded"
    assert body["code"] == 403


def test_apply_then_fail_lands_the_write_and_raises(
    sandbox: Sandbox, clients: GoogleClients
) -> None:
    doc_id = _new_doc(clients)
    sandbox.faults.add("POST", "/v1/documents/*:batchUpdate", mode="apply_then_fail", status=503)
    with pytest.raises(HttpError) as caught:
        clients.docs.documents().batchUpdate(documentId=doc_id, body=_insert("Landed\n")).execute()
    assert caught.value.resp.status == 503
    assert "Landed" in _all_text(clients.docs.documents().get(documentId=doc_id).execute())


def test_concurrent_edit_breaks_a_required_revision_write(
    sandbox: Sandbox, clients: GoogleClients
) -> None:
    doc_id = _new_doc(clients)
    revision = clients.docs.documents().get(documentId=doc_id).execute()["revisionId"]
    sandbox.faults.add("POST", "/v1/documents/*:batchUpdate", mode="concurrent_edit")
    with pytest.raises(HttpError) as caught:
        clients.docs.documents().batchUpdate(
            documentId=doc_id, body=_insert("Mine\n", revision)
        ).execute()
    assert caught.value.resp.status == 400
    after = clients.docs.documents().get(documentId=doc_id).execute()
    assert after["revisionId"] != revision
    assert COLLABORATOR_TEXT in _all_text(after)
    assert "Mine" not in _all_text(after)


def test_latency_is_added(sandbox: Sandbox, clients: GoogleClients) -> None:
    import time

    doc_id = _new_doc(clients)
    sandbox.faults.add("GET", "/v1/documents/*", latency_ms=300, mode="latency")
    started = time.monotonic()
    doc = clients.docs.documents().get(documentId=doc_id).execute()
    assert time.monotonic() - started >= 0.3
    assert doc["documentId"] == doc_id


def test_faults_through_the_admin_api(sandbox: Sandbox, clients: GoogleClients) -> None:
    doc_id = _new_doc(clients)
    status, fault = _http(
        sandbox,
        "POST",
        "/_sandbox/faults",
        {"method": "GET", "path": "/v1/documents/*", "count": 2, "status": 500},
    )
    assert (status, fault["count"]) == (200, 2)
    assert _http(sandbox, "POST", "/_sandbox/faults", {"path": "x", "status": 418})[0] == 400
    assert _http(sandbox, "DELETE", "/_sandbox/faults")[0] == 200
    clients.docs.documents().get(documentId=doc_id).execute()  # cleared: no failure


# -- request log and admin -----------------------------------------------------------------


def test_request_log_lists_api_calls_in_order(sandbox: Sandbox, clients: GoogleClients) -> None:
    doc_id = _new_doc(clients)
    clients.docs.documents().get(documentId=doc_id, includeTabsContent=True).execute()
    with pytest.raises(HttpError):
        clients.calendar.events().get(calendarId="primary", eventId="nope").execute()
    _http(sandbox, "GET", "/")  # the HTML view and the admin API are not logged
    status, log = _http(sandbox, "GET", "/_sandbox/requests")
    assert status == 200
    assert [(e["method"], e["path"], e["status"]) for e in log] == [
        ("POST", "/v1/documents", 200),
        ("GET", f"/v1/documents/{doc_id}", 200),
        ("GET", "/calendar/v3/calendars/primary/events/nope", 404),
    ]
    assert log[1]["query"]["includeTabsContent"] == ["true"]
    assert _http(sandbox, "DELETE", "/_sandbox/requests")[0] == 200
    assert sandbox.requests_log() == []


@pytest.mark.parametrize("fixture", TAB_FIXTURES)
def test_seeded_fixture_reads_back_identical(
    sandbox: Sandbox, clients: GoogleClients, fixture: str
) -> None:
    captured = json.loads((FIXTURES / fixture).read_text(encoding="utf-8"))
    status, seeded = _http(sandbox, "POST", "/_sandbox/documents", captured)
    assert status == 200
    doc = (
        clients.docs.documents()
        .get(documentId=seeded["documentId"], includeTabsContent=True)
        .execute()
    )
    assert doc == captured


def test_admin_delete_and_reset(sandbox: Sandbox, clients: GoogleClients) -> None:
    doc_id = _new_doc(clients)
    assert _http(sandbox, "DELETE", f"/_sandbox/documents/{doc_id}")[0] == 200
    with pytest.raises(HttpError) as caught:
        clients.docs.documents().get(documentId=doc_id).execute()
    assert caught.value.resp.status == 404
    _new_doc(clients)
    sandbox.faults.add("GET", "*")
    assert _http(sandbox, "POST", "/_sandbox/reset")[0] == 200
    assert sandbox.docs.summaries() == []
    assert sandbox.faults.pending() == []
    assert sandbox.requests_log() == []


# -- Calendar and Drive ----------------------------------------------------------------------


def test_calendar_round_trip(sandbox: Sandbox, clients: GoogleClients) -> None:
    event = {
        "summary": "Peer mentoring",
        "start": {"dateTime": "2025-01-14T14:00:00", "timeZone": "America/New_York"},
        "end": {"dateTime": "2025-01-14T15:00:00", "timeZone": "America/New_York"},
        "recurrence": ["RRULE:FREQ=MONTHLY;BYDAY=2TU"],
        "extendedProperties": {"private": {"gworkflow-series": "s1"}},
    }
    created = (
        clients.calendar.events()
        .insert(calendarId="primary", body=event, sendUpdates="none")
        .execute()
    )
    found = (
        clients.calendar.events()
        .list(calendarId="primary", privateExtendedProperty="gworkflow-series=s1")
        .execute()
    )
    assert [e["id"] for e in found["items"]] == [created["id"]]
    instances = (
        clients.calendar.events()
        .instances(
            calendarId="primary",
            eventId=created["id"],
            timeMin="2025-01-01T00:00:00Z",
            timeMax="2025-03-31T00:00:00Z",
        )
        .execute()
    )
    assert len(instances["items"]) == 3
    patched = (
        clients.calendar.events()
        .patch(calendarId="primary", eventId=created["id"], body={"location": "Zoom"})
        .execute()
    )
    assert patched["location"] == "Zoom"
    assert (
        clients.calendar.events().delete(calendarId="primary", eventId=created["id"]).execute()
        == ""
    )
    with pytest.raises(HttpError) as caught:
        clients.calendar.events().insert(calendarId="primary", body={**event, "bogus": 1}).execute()
    assert _error_json(caught.value)["error"]["errors"][0]["reason"] == "badRequest"


def test_drive_file_and_sharing(sandbox: Sandbox, clients: GoogleClients) -> None:
    doc_id = _new_doc(clients, "Running agenda")
    file = clients.drive.files().get(fileId=doc_id).execute()
    assert file == {
        "kind": "drive#file",
        "id": doc_id,
        "name": "Running agenda",
        "mimeType": "application/vnd.google-apps.document",
    }
    assert clients.drive.files().get(fileId=doc_id, fields="id,name").execute() == {
        "id": doc_id,
        "name": "Running agenda",
    }
    perms = clients.drive.permissions()
    perms.create(
        fileId=doc_id, body={"role": "writer", "type": "user", "emailAddress": "ana@uni.example"}
    ).execute()
    perms.create(
        fileId=doc_id,
        body={"role": "writer", "type": "user", "emailAddress": "bo@uni.example"},
        sendNotificationEmail=False,
    ).execute()
    listed = perms.list(fileId=doc_id, fields="permissions(emailAddress,role)").execute()
    assert {"emailAddress": "ana@uni.example", "role": "writer"} in listed["permissions"]
    assert [n["emailAddress"] for n in sandbox.drive.notifications] == ["ana@uni.example"]
    with pytest.raises(HttpError) as caught:
        clients.drive.files().get(fileId="missing").execute()
    assert caught.value.resp.status == 404
    assert _error_json(caught.value)["error"]["errors"][0]["reason"] == "notFound"


# -- OAuth ------------------------------------------------------------------------------------


def _credentials(sandbox: Sandbox, refresh_token: str) -> Any:
    from google.oauth2.credentials import Credentials

    return Credentials(
        token=None,
        refresh_token=refresh_token,
        token_uri=sandbox.base_url + "/token",
        client_id="client.apps.googleusercontent.com",
        client_secret="secret",
    )


def test_token_refresh_ok_then_invalid_grant_after_revoke(sandbox: Sandbox) -> None:
    from google.auth.exceptions import RefreshError
    from google.auth.transport.requests import Request

    status, minted = _http(sandbox, "POST", "/_sandbox/tokens", {})
    assert status == 200
    creds = _credentials(sandbox, minted["refresh_token"])
    creds.refresh(Request())
    assert creds.token and creds.valid

    assert _http(sandbox, "POST", "/revoke", form={"token": minted["refresh_token"]})[0] == 200
    with pytest.raises(RefreshError) as caught:
        _credentials(sandbox, minted["refresh_token"]).refresh(Request())
    assert "invalid_grant" in str(caught.value)


def test_unknown_refresh_token_is_invalid_grant(sandbox: Sandbox) -> None:
    from google.auth.exceptions import RefreshError
    from google.auth.transport.requests import Request

    with pytest.raises(RefreshError):
        _credentials(sandbox, "1//never-issued").refresh(Request())
    status, body = _http(
        sandbox,
        "POST",
        "/token",
        form={"grant_type": "refresh_token", "refresh_token": "x", "client_id": "c"},
    )
    assert (status, body) == (
        400,
        {"error": "invalid_grant", "error_description": "Token has been expired or revoked."},
    )


# -- Zoom -------------------------------------------------------------------------------------


def _zoom_token(sandbox: Sandbox) -> str:
    basic = base64.b64encode(b"zoom-client:zoom-secret").decode()
    status, body = _http(
        sandbox,
        "POST",
        "/zoom/oauth/token?grant_type=account_credentials&account_id=acc1",
        headers={"Authorization": f"Basic {basic}"},
        form={},
    )
    assert status == 200
    assert (body["token_type"], body["expires_in"]) == ("bearer", 3599)
    return str(body["access_token"])


def test_zoom_recurring_meeting(sandbox: Sandbox) -> None:
    auth = {"Authorization": f"Bearer {_zoom_token(sandbox)}"}
    meeting = {
        "topic": "Peer mentoring",
        "type": 8,
        "start_time": "2025-01-14T14:00:00",
        "timezone": "America/New_York",
        "duration": 60,
        "recurrence": {
            "type": 3,
            "repeat_interval": 1,
            "monthly_week": 2,
            "monthly_week_day": 3,
            "end_times": 3,
        },
    }
    status, created = _http(sandbox, "POST", "/zoom/v2/users/me/meetings", meeting, headers=auth)
    assert status == 201
    assert created["join_url"].startswith(f"https://zoom.us/j/{created['id']}?pwd=")
    assert created["password"]
    # Second Tuesdays at 14:00 New York time, in UTC.
    assert [o["start_time"] for o in created["occurrences"]] == [
        "2025-01-14T19:00:00Z",
        "2025-02-11T19:00:00Z",
        "2025-03-11T18:00:00Z",  # New York is on daylight time from March 9
    ]
    status, fetched = _http(sandbox, "GET", f"/zoom/v2/meetings/{created['id']}", headers=auth)
    assert (status, fetched["id"]) == (200, created["id"])

    bad = {**meeting, "recurrence": {"type": 3, "repeat_interval": 4, "monthly_day": 9}}
    status, error = _http(sandbox, "POST", "/zoom/v2/users/me/meetings", bad, headers=auth)
    assert (status, error["code"]) == (400, 300)
    status, error = _http(
        sandbox,
        "POST",
        "/zoom/v2/users/me/meetings",
        meeting,
        headers={"Authorization": "Bearer nope"},
    )
    assert (status, error["code"]) == (401, 124)


# -- persistence, binding, HTML, CLI ---------------------------------------------------------


def test_state_survives_a_restart(tmp_path: Path) -> None:
    state = tmp_path / "sandbox.json"
    with Sandbox(state_file=state) as first:
        clients = build_clients(None, first.base_url)
        doc_id = _new_doc(clients, "Kept")
        clients.docs.documents().batchUpdate(
            documentId=doc_id, body=_insert("Persisted\n")
        ).execute()
        token = _http(first, "POST", "/_sandbox/tokens", {})[1]["refresh_token"]
    assert state.exists()
    with Sandbox(state_file=state) as second:
        clients = build_clients(None, second.base_url)
        doc = clients.docs.documents().get(documentId=doc_id).execute()
        assert doc["title"] == "Kept"
        assert "Persisted" in _all_text(doc)
        from google.auth.transport.requests import Request

        creds = _credentials(second, token)
        creds.refresh(Request())  # the minted refresh token is still known
        assert creds.valid


def test_binds_loopback_only(sandbox: Sandbox) -> None:
    assert sandbox.base_url.startswith("http://127.0.0.1:")
    assert sandbox._server is not None
    assert sandbox._server.server_address[0] == "127.0.0.1"


def test_html_view_renders_a_document(sandbox: Sandbox, clients: GoogleClients) -> None:
    captured = json.loads((FIXTURES / "tabs-headings-bullets.json").read_text(encoding="utf-8"))
    _, seeded = _http(sandbox, "POST", "/_sandbox/documents", captured)
    status, index = _http(sandbox, "GET", "/")
    assert status == 200
    assert f"/view/documents/{seeded['documentId']}" in index
    status, page = _http(sandbox, "GET", f"/view/documents/{seeded['documentId']}")
    assert status == 200
    article = parse(page).find("article", "page")
    assert article.find_all("h1") and article.find_all("li") and article.find_all("table")
    assert _http(sandbox, "GET", "/view/documents/missing")[0] == 404


def test_cli_serve_prints_the_endpoint_and_stops_cleanly(monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from gworkflow.cli.sandbox_cmd import sandbox as sandbox_group

    def interrupted(self: Sandbox) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(Sandbox, "serve_forever", interrupted)
    result = CliRunner().invoke(sandbox_group, ["serve", "--port", "0"])
    assert result.exit_code == 0, result.output
    assert "export GWORKFLOW_API_ENDPOINT=http://127.0.0.1:" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("fixture", ["legacy-lists.json", "legacy-tables.json"])
def test_seeded_legacy_fixture_reads_back_identical(
    sandbox: Sandbox, clients: GoogleClients, fixture: str
) -> None:
    sandbox.reset()
    captured = json.loads((FIXTURES / fixture).read_text(encoding="utf-8"))
    status, seeded = _http(sandbox, "POST", "/_sandbox/documents", captured)
    assert status == 200 and seeded["documentId"] == captured["documentId"]
    # Without includeTabsContent Google answers in the legacy form, as captured.
    doc = clients.docs.documents().get(documentId=seeded["documentId"]).execute()
    assert doc == captured
