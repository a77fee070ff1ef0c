"""Request validation against the discovery documents shipped in google-api-python-client."""

from __future__ import annotations

import re
from importlib import resources

import pytest

from gworkflow.sandbox.errors import ApiError
from gworkflow.sandbox.schema import (
    api_for_path,
    discovery,
    resolve,
    service_prefix,
    validate_request,
)


def _error(*args: object) -> ApiError:
    with pytest.raises(ApiError) as caught:
        validate_request(*args)  # type: ignore[arg-type]
    return caught.value


def test_discovery_is_read_from_the_installed_client_package() -> None:
    shipped = resources.files("googleapiclient.discovery_cache").joinpath(
        "documents", "docs.v1.json"
    )
    assert shipped.is_file()
    assert discovery("docs")["rootUrl"] == "https://docs.googleapis.com/"
    assert service_prefix("calendar") == "/calendar/v3/"
    assert service_prefix("docs") == "/"


@pytest.mark.parametrize("api", ["docs", "calendar", "drive"])
def test_every_method_resolves_from_its_own_path(api: str) -> None:
    """Filling each path template with sample ids finds that same method (no route shadows another)."""
    doc = discovery(api)

    def methods(resources_: dict[str, object]) -> list[dict[str, object]]:
        found: list[dict[str, object]] = []
        for resource in resources_.values():
            assert isinstance(resource, dict)
            found.extend(resource.get("methods", {}).values())
            found.extend(methods(resource.get("resources", {})))
        return found

    for method in methods(doc["resources"]):
        path = re.sub(r"\{\+?[^}]+\}", "x1", str(method.get("flatPath", method["path"])))
        resolved, params = resolve(api, str(method["httpMethod"]), service_prefix(api) + path)
        assert resolved["id"] == method["id"], path
        assert all(value == "x1" for value in params.values())


def test_docs_unknown_field_uses_googles_wording_and_snake_case_path() -> None:
    body = {"requests": [{"insertText": {"text": "x", "location": {"index": 1}, "foo": 1}}]}
    error = _error("docs", "POST", "/v1/documents/abc:batchUpdate", {"alt": ["json"]}, body)
    assert error.code == 400
    assert error.message == (
        "Invalid JSON payload received. Unknown name \"foo\" at 'requests[0].insert_text': Cannot find field."
    )
    assert error.docs_body()["error"]["status"] == "INVALID_ARGUMENT"


def test_docs_unknown_top_level_field_has_no_location() -> None:
    error = _error(
        "docs", "POST", "/v1/documents/abc:batchUpdate", {}, {"requests": [], "oops": True}
    )
    assert error.message == 'Invalid JSON payload received. Unknown name "oops": Cannot find field.'


def test_docs_bad_enum_names_the_field() -> None:
    body = {
        "requests": [
            {"insertText": {"text": "a", "location": {"index": 1}}},
            {
                "createParagraphBullets": {
                    "range": {"startIndex": 1, "endIndex": 2},
                    "bulletPreset": "NOPE",
                }
            },
        ]
    }
    error = _error("docs", "POST", "/v1/documents/abc:batchUpdate", {}, body)
    assert error.code == 400
    assert "requests[1].create_paragraph_bullets.bullet_preset" in error.message
    assert '"NOPE"' in error.message


@pytest.mark.parametrize(
    ("value", "ok"),
    [(1, True), ("12", True), (1.0, True), ("a", False), (True, False), (1.5, False), ([1], False)],
)
def test_docs_int32_index_accepts_numbers_and_numeric_strings(value: object, ok: bool) -> None:
    body = {"requests": [{"insertText": {"text": "a", "location": {"index": value}}}]}
    if ok:
        validate_request("docs", "POST", "/v1/documents/abc:batchUpdate", {}, body)
    else:
        assert (
            "insert_text.location.index"
            in _error("docs", "POST", "/v1/documents/abc:batchUpdate", {}, body).message
        )


def test_wrong_json_types_are_rejected() -> None:
    for body in ({"requests": {"insertText": {}}}, {"requests": ["x"]}, {"title": 5}):
        path = "/v1/documents" if "title" in body else "/v1/documents/abc:batchUpdate"
        assert _error("docs", "POST", path, {}, body).code == 400


def test_calendar_maps_accept_any_key_but_check_values() -> None:
    ok = {"summary": "x", "extendedProperties": {"private": {"gworkflow-series": "abc", "k2": "v"}}}
    resolved = validate_request("calendar", "POST", "/calendar/v3/calendars/primary/events", {}, ok)
    assert resolved.method_id == "calendar.events.insert"
    assert resolved.body == ok
    bad = {"extendedProperties": {"private": {"k": 3}}}
    error = _error("calendar", "POST", "/calendar/v3/calendars/primary/events", {}, bad)
    assert error.reason == "invalid"
    assert "extendedProperties.private.k" in error.message


def test_calendar_unknown_body_field_is_a_v3_bad_request() -> None:
    error = _error(
        "calendar", "POST", "/calendar/v3/calendars/primary/events", {}, {"sumary": "typo"}
    )
    body = error.v3_body()["error"]
    assert body["code"] == 400
    assert body["errors"][0]["reason"] == "badRequest"
    assert '"sumary"' in body["message"]


def test_query_parameters_are_typed_and_repeatable() -> None:
    query = {
        "privateExtendedProperty": ["a=b", "c=d"],
        "maxResults": ["5"],
        "singleEvents": ["true"],
        "timeMin": ["2025-01-01T00:00:00Z"],
        "alt": ["json"],
    }
    resolved = validate_request(
        "calendar", "GET", "/calendar/v3/calendars/primary/events", query, None
    )
    assert resolved.path_params == {"calendarId": "primary"}
    assert resolved.query["privateExtendedProperty"] == ["a=b", "c=d"]
    assert resolved.query["maxResults"] == 5
    assert resolved.query["singleEvents"] is True


def test_bad_query_values_are_400s() -> None:
    path = "/calendar/v3/calendars/primary/events"
    assert (
        "sendUpdates"
        in _error("calendar", "POST", path, {"sendUpdates": ["sometimes"]}, {}).message
    )
    assert _error("calendar", "POST", path, {"conferenceDataVersion": ["2"]}, {}).code == 400
    assert _error("calendar", "GET", path, {"singleEvents": ["yes"]}, None).code == 400
    assert _error("calendar", "GET", path, {"maxResults": ["x"]}, None).code == 400
    assert _error("calendar", "GET", path, {"noSuchParam": ["1"]}, None).code == 400
    # Not repeatable: given twice is an error, not a silent pick.
    assert _error("calendar", "POST", path, {"sendUpdates": ["all", "none"]}, {}).code == 400


def test_required_query_parameter() -> None:
    error = _error("calendar", "POST", "/calendar/v3/calendars/primary/events/e1/move", {}, None)
    assert error.message == "Required parameter: destination"


def test_percent_encoded_path_parameters_are_decoded() -> None:
    resolved = validate_request(
        "calendar", "GET", "/calendar/v3/calendars/me%40example.com/events/e1", {}, None
    )
    assert resolved.path_params == {"calendarId": "me@example.com", "eventId": "e1"}


def test_routes_and_methods() -> None:
    assert api_for_path("/v1/documents/abc") == "docs"
    assert api_for_path("/drive/v3/files/x") == "drive"
    assert api_for_path("/elsewhere") is None
    get = validate_request(
        "docs",
        "GET",
        "/v1/documents/abc",
        {"includeTabsContent": ["true"], "fields": ["title"]},
        None,
    )
    assert (get.method_id, get.query["includeTabsContent"]) == ("docs.documents.get", True)
    assert (
        validate_request("drive", "GET", "/drive/v3/files/generateIds", {}, None).method_id
        == "drive.files.generateIds"
    )
    assert _error("drive", "PUT", "/drive/v3/files/abc", {}, None).code == 405
    assert _error("docs", "GET", "/v1/nothing", {}, None).code == 404
    # A method without a request body refuses one.
    assert _error("docs", "GET", "/v1/documents/abc", {}, {"x": 1}).code == 400


def test_drive_permission_body_and_notification_flag() -> None:
    body = {"role": "writer", "type": "user", "emailAddress": "a@example.org"}
    resolved = validate_request(
        "drive",
        "POST",
        "/drive/v3/files/abc/permissions",
        {"sendNotificationEmail": ["false"]},
        body,
    )
    assert resolved.method_id == "drive.permissions.create"
    assert resolved.query == {"sendNotificationEmail": False}
