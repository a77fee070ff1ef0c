"""The sandbox's own edge: web pages cannot drive it (Host, Origin, Content-Type), malformed
requests, seeded documents and state files get a clear error (never a hang or a
traceback), the document size limit, and Drive's trashed flag."""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from support.captures import FIXTURES

from gworkflow.cli.sandbox_cmd import sandbox as sandbox_group
from gworkflow.google.clients import build_clients
from gworkflow.sandbox import edge
from gworkflow.sandbox.server import Sandbox

JSON = dict[str, Any]


@pytest.fixture
def box() -> Iterator[Sandbox]:
    with Sandbox() as sandbox:
        yield sandbox


def port_of(box: Sandbox) -> int:
    return int(box.base_url.rsplit(":", 1)[1])


def raw(box: Sandbox, head: str, body: bytes = b"", *, finish: bool = False) -> tuple[int, Any]:
    """Send `head` (request line and headers, without the blank line) and `body` over a bare
    socket; (status, JSON body). `finish` closes our sending side after the body. A sandbox
    that waited for more would make this fail with a timeout instead of hanging the suite."""
    with socket.create_connection(("127.0.0.1", port_of(box)), timeout=5) as sock:
        sock.sendall(head.replace("\n", "\r\n").encode() + b"\r\n\r\n" + body)
        if finish:
            sock.shutdown(socket.SHUT_WR)
        received = b""
        while b"\r\n\r\n" not in received:
            chunk = sock.recv(65536)
            assert chunk, f"connection closed without an answer: {received!r}"
            received += chunk
        header_block, _, rest = received.partition(b"\r\n\r\n")
        lines = header_block.decode().split("\r\n")
        headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
        length = int(headers.get("content-length", "0"))
        while len(rest) < length:
            chunk = sock.recv(65536)
            assert chunk
            rest += chunk
    status = int(lines[0].split()[1])
    return status, json.loads(rest) if rest else None


def request(
    box: Sandbox,
    method: str,
    path: str,
    body: Any = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, Any]:
    data = (
        None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    )
    all_headers = dict(headers or {})
    if data is not None:
        all_headers.setdefault("Content-Type", "application/json")
    req = urllib.request.Request(box.base_url + path, data=data, method=method, headers=all_headers)
    try:
        with urllib.request.urlopen(req, timeout=10) as answer:
            raw_body, status, kind = answer.read(), answer.status, answer.headers["Content-Type"]
    except urllib.error.HTTPError as error:
        raw_body, status, kind = error.read(), error.code, error.headers["Content-Type"]
    if kind and kind.startswith("application/json") and raw_body:
        return status, json.loads(raw_body)
    return status, raw_body.decode()


def new_doc(box: Sandbox, title: str = "Edge") -> str:
    return str(box.docs.create({"title": title})["documentId"])


def insert(text: str) -> JSON:
    return {"requests": [{"insertText": {"text": text, "location": {"index": 1}}}]}


# -- Host and Origin -----------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/_sandbox/state", "/calendar/v3/calendars/primary/events"])
def test_another_host_name_is_refused_as_dns_rebinding(box: Sandbox, path: str) -> None:
    status, answer = raw(box, f"GET {path} HTTP/1.1\nHost: evil.example:{port_of(box)}")
    assert status == 403
    assert "is not this sandbox" in json.dumps(answer)


def test_localhost_and_127_0_0_1_are_both_the_sandbox(box: Sandbox) -> None:
    for host in (f"localhost:{port_of(box)}", f"127.0.0.1:{port_of(box)}"):
        status, answer = raw(box, f"GET /_sandbox/quotas HTTP/1.1\nHost: {host}")
        assert status == 200 and answer["enabled"] is True


def test_a_foreign_origin_cannot_use_admin_routes(box: Sandbox) -> None:
    evil = {"Origin": "https://evil.example"}
    status, answer = request(box, "POST", "/_sandbox/reset", headers=evil)
    assert status == 403 and "cross-origin request from 'https://evil.example'" in answer["error"]
    doc_id = new_doc(box)
    assert request(box, "DELETE", f"/_sandbox/documents/{doc_id}", headers=evil)[0] == 403
    assert request(box, "GET", "/_sandbox/state", headers=evil)[0] == 403
    assert request(box, "GET", "/_sandbox/state", headers={"Origin": "null"})[0] == 403
    # Another port on the same machine is another origin.
    other_port = {"Origin": f"http://127.0.0.1:{port_of(box) + 1}"}
    assert request(box, "POST", "/_sandbox/reset", headers=other_port)[0] == 403
    assert box.docs.get(doc_id, True)["title"] == "Edge"  # nothing was reset or deleted


def test_a_foreign_origin_cannot_write_through_the_api_but_may_read(box: Sandbox) -> None:
    doc_id = new_doc(box)
    evil = {"Origin": "https://evil.example"}
    status, answer = request(box, "POST", f"/v1/documents/{doc_id}:batchUpdate", insert("x"), evil)
    assert status == 403
    assert answer["error"]["status"] == "PERMISSION_DENIED"
    assert "cross-origin" in answer["error"]["message"]
    assert request(box, "GET", f"/v1/documents/{doc_id}", headers=evil)[0] == 200


def test_the_sandboxs_own_pages_may_write(box: Sandbox) -> None:
    """The HTML view edits a doc with same-origin fetch() calls, which carry its origin."""
    doc_id = new_doc(box)
    for origin in (box.base_url, f"http://localhost:{port_of(box)}"):
        status, answer = request(
            box, "POST", f"/v1/documents/{doc_id}:batchUpdate", insert("hi "), {"Origin": origin}
        )
        assert status == 200, answer
        assert request(box, "POST", "/_sandbox/quotas", {}, {"Origin": origin})[0] == 200


def test_admin_bodies_must_be_declared_json(box: Sandbox) -> None:
    body = json.dumps({"title": "x"}).encode()
    for kind in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data"):
        status, answer = request(box, "POST", "/_sandbox/documents", body, {"Content-Type": kind})
        assert status == 415 and "Content-Type: application/json" in answer["error"], kind
    status, _ = request(
        box, "POST", "/_sandbox/quotas", b"{}", {"Content-Type": "application/json; charset=utf-8"}
    )
    assert status == 200
    assert request(box, "POST", "/_sandbox/reset")[0] == 200  # no body, no Content-Type needed


# -- malformed requests --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("length", "message"),
    [
        ("-1", "Content-Length must be a whole number of bytes, not '-1'"),
        ("ten", "Content-Length must be a whole number of bytes, not 'ten'"),
        ("99999999999999999999999999", "is over the sandbox's limit"),
        (str(edge.MAX_BODY_BYTES + 1), "is over the sandbox's limit"),
    ],
)
def test_an_unusable_content_length_is_a_400_not_a_hang(
    box: Sandbox, length: str, message: str
) -> None:
    head = (
        f"POST /_sandbox/reset HTTP/1.1\nHost: 127.0.0.1:{port_of(box)}\nContent-Length: {length}"
    )
    status, answer = raw(box, head)
    assert status == 400 and message in answer["error"]


def test_chunked_and_doubled_lengths_are_refused(box: Sandbox) -> None:
    host = f"Host: 127.0.0.1:{port_of(box)}"
    status, answer = raw(box, f"POST /_sandbox/reset HTTP/1.1\n{host}\nTransfer-Encoding: chunked")
    assert status == 400 and "Transfer-Encoding" in answer["error"]
    head = f"POST /_sandbox/reset HTTP/1.1\n{host}\nContent-Length: 2\nContent-Length: 3"
    status, answer = raw(box, head, b"{}")
    assert status == 400 and "several different Content-Length" in answer["error"]


def test_a_body_shorter_than_announced_is_a_400(
    box: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    head = f"POST /_sandbox/quotas HTTP/1.1\nHost: 127.0.0.1:{port_of(box)}\nContent-Length: 50"
    # The client gives up sending: the sandbox sees the end of the stream.
    status, answer = raw(box, head, b'{"docs_write"', finish=True)
    assert status == 400 and "the body ended after 13 of its 50 bytes" in answer["error"]
    # The client stalls: the sandbox stops waiting.
    monkeypatch.setattr(edge, "BODY_TIMEOUT_SECONDS", 0.2)
    status, answer = raw(box, head, b'{"docs_write"')
    assert status == 400 and "the body ended after" in answer["error"]
    assert box.quotas.settings()["docs_write"] == 60


def test_a_body_that_is_not_json_is_a_400(box: Sandbox) -> None:
    doc_id = new_doc(box)
    status, answer = request(box, "POST", "/_sandbox/quotas", b"{nope")
    assert (status, answer) == (400, {"error": "the body is not JSON"})
    status, answer = request(box, "POST", "/_sandbox/quotas", b"\xff\xfe")
    assert (status, answer) == (400, {"error": "the body is not JSON"})
    status, answer = request(box, "POST", "/_sandbox/tokens", [1, 2])
    assert (status, answer) == (400, {"error": "POST a JSON object, not a list"})
    status, answer = request(box, "POST", f"/v1/documents/{doc_id}:batchUpdate", b"{nope")
    assert status == 400 and answer["error"]["message"].startswith("Invalid JSON payload")


# -- seeded documents ----------------------------------------------------------------------


def _paragraph(start: int, text: str) -> JSON:
    end = start + len(text)
    run = {"startIndex": start, "endIndex": end, "textRun": {"content": text}}
    return {"startIndex": start, "endIndex": end, "paragraph": {"elements": [run]}}


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ([{"body": {}}], "POST a JSON object, not a list"),
        ("a doc", "POST a JSON object, not a string"),
        ({"title": "No body"}, "a document needs a body (legacy form) or tabs"),
        ({"body": [1]}, "body must be an object, not a list"),
        ({"body": {"content": "text"}}, "body.content must be a list of objects"),
        ({"tabs": []}, "a document's tabs must be a non-empty list"),
        ({"tabs": [{"tabProperties": {}}]}, "tabs[0] has no documentTab object"),
        ({"title": 7, "body": {"content": []}}, "a document's title must be a string"),
        (
            {"body": {"content": [{"endIndex": 1, "sectionBreak": {}}, _paragraph(2, "Hi\n")]}},
            "the document's indexes are inconsistent: body[1]: starts at 2, expected 1",
        ),
        (
            {"body": {"content": [{"endIndex": 1, "sectionBreak": {}}, _paragraph(1, "a\nb\n")]}},
            "the document's indexes are inconsistent: body[1]: newline inside a paragraph",
        ),
    ],
)
def test_a_seeded_doc_that_is_not_a_document_is_a_clear_400(
    box: Sandbox, doc: Any, message: str
) -> None:
    status, answer = request(box, "POST", "/_sandbox/documents", doc)
    assert status == 400
    assert message in answer.get("error", ""), answer
    assert box.docs.summaries() == []


def test_a_valid_seeded_doc_is_still_accepted(box: Sandbox) -> None:
    doc = {"body": {"content": [{"endIndex": 1, "sectionBreak": {}}, _paragraph(1, "Hi\n")]}}
    status, answer = request(box, "POST", "/_sandbox/documents", doc)
    assert status == 200 and answer["documentId"]


# -- state files ---------------------------------------------------------------------------


def _valid_state(tmp_path: Path) -> JSON:
    state_file = tmp_path / "valid.json"
    with Sandbox(state_file=state_file) as box:
        doc_id = new_doc(box)
        build_clients(None, box.base_url).docs.documents().batchUpdate(
            documentId=doc_id, body=insert("Kept\n")
        ).execute()
    loaded: JSON = json.loads(state_file.read_text(encoding="utf-8"))
    return loaded


BAD_STATES: list[tuple[str, Any, str]] = [
    ("not-json", "{not json", "is not a sandbox state file: Expecting property name"),
    ("a-list", [1, 2], "the state must be an object, not a list"),
    ("no-version", {"docs": {}}, 'expected "version": 1, got None'),
    ("docs-a-list", {"version": 1, "docs": []}, "docs must be an object, not a list"),
    (
        "doc-a-string",
        {"version": 1, "docs": {"documents": {"d1": "text"}}},
        "docs.documents['d1']: a document must be a JSON object, not a string",
    ),
    (
        "bad-random",
        {"version": 1, "docs": {"random": "seed"}},
        "docs.random must be a saved random state",
    ),
    (
        "revision-text",
        {"version": 1, "calendar": {"revision": "three"}},
        "calendar.revision must be a whole number, not a string",
    ),
    (
        "event-not-object",
        {"version": 1, "calendar": {"calendars": {"primary": {"e1": {"event": []}}}}},
        "calendar.calendars['primary']['e1'].event must be an object, not a list",
    ),
    (
        "trashed-numbers",
        {"version": 1, "drive": {"trashed": [1]}},
        "drive.trashed[0] must be a string, not a whole number",
    ),
    (
        "zoom-tokens",
        {"version": 1, "zoom": {"tokens": "abc"}},
        "zoom.tokens must be a list, not a string",
    ),
]


@pytest.mark.parametrize(("name", "content", "message"), BAD_STATES, ids=[b[0] for b in BAD_STATES])
def test_a_malformed_state_file_is_a_clear_value_error(
    tmp_path: Path, name: str, content: Any, message: str
) -> None:
    state_file = tmp_path / f"{name}.json"
    text = content if isinstance(content, str) else json.dumps(content)
    state_file.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError) as raised:
        Sandbox(state_file=state_file)
    assert str(raised.value).startswith(f"{state_file} is not a sandbox state file: ")
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


def test_a_state_with_a_broken_document_is_refused(tmp_path: Path) -> None:
    state = _valid_state(tmp_path)
    doc = next(iter(state["docs"]["documents"].values()))
    doc["tabs"][0]["documentTab"]["body"]["content"][1]["startIndex"] = 5
    state_file = tmp_path / "broken.json"
    state_file.write_text(json.dumps(state), encoding="utf-8")
    with pytest.raises(ValueError, match="indexes are inconsistent"):
        Sandbox(state_file=state_file)


def test_a_valid_state_file_still_loads(tmp_path: Path) -> None:
    state = _valid_state(tmp_path)
    state_file = tmp_path / "again.json"
    state_file.write_text(json.dumps(state), encoding="utf-8")
    box = Sandbox(state_file=state_file)
    assert [s["title"] for s in box.docs.summaries()] == ["Edge"]


def test_serve_with_a_malformed_state_is_a_one_line_error(tmp_path: Path) -> None:
    state_file = tmp_path / "state.json"
    state_file.write_text(json.dumps({"version": 1, "docs": []}), encoding="utf-8")
    result = CliRunner().invoke(sandbox_group, ["serve", "--port", "0", "--state", str(state_file)])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {state_file} is not a sandbox state file: docs must be an object, not a list\n"
    )


# -- document size limit -------------------------------------------------------------------


def test_a_batch_that_would_pass_the_size_limit_is_a_400_and_changes_nothing(
    box: Sandbox,
) -> None:
    doc_id = new_doc(box)
    assert request(box, "POST", "/_sandbox/quotas", {"doc_max_chars": 20})[0] == 200
    path = f"/v1/documents/{doc_id}:batchUpdate"
    assert request(box, "POST", path, insert("0123456789"))[0] == 200  # 11 characters
    revision = box.docs.get(doc_id, True)["revisionId"]

    status, answer = request(box, "POST", path, insert("0123456789"))  # would be 21

    assert status == 400
    assert answer["error"]["status"] == "INVALID_ARGUMENT"
    assert answer["error"]["message"] == (
        "The document would exceed the maximum document size: after this update it would hold "
        "21 characters, over the limit of 20."
    )
    assert box.docs.get(doc_id, True)["revisionId"] == revision
    assert request(box, "POST", path, insert("012345678"))[0] == 200  # exactly 20


def test_an_oversized_doc_may_still_shrink_and_null_lifts_the_limit(box: Sandbox) -> None:
    doc_id = new_doc(box)
    path = f"/v1/documents/{doc_id}:batchUpdate"
    assert request(box, "POST", path, insert("0123456789"))[0] == 200
    request(box, "POST", "/_sandbox/quotas", {"doc_max_chars": 5})
    delete = {"requests": [{"deleteContentRange": {"range": {"startIndex": 1, "endIndex": 3}}}]}
    assert request(box, "POST", path, delete)[0] == 200
    assert request(box, "POST", path, insert("x"))[0] == 400
    request(box, "POST", "/_sandbox/quotas", {"doc_max_chars": None})
    assert request(box, "POST", path, insert("x" * 100))[0] == 200


def test_the_default_size_limit_is_the_widely_repeated_figure(box: Sandbox) -> None:
    assert box.quotas.doc_max_chars == 1_020_000
    captured = json.loads((FIXTURES / "tabs-three-tabs.json").read_text(encoding="utf-8"))
    doc_id = request(box, "POST", "/_sandbox/documents", captured)[1]["documentId"]
    status, _ = request(box, "POST", f"/v1/documents/{doc_id}:batchUpdate", insert("more "))
    assert status == 200


# -- trashed -------------------------------------------------------------------------------


def test_trash_shows_in_drive_and_docs_keeps_serving_the_doc(box: Sandbox) -> None:
    clients = build_clients(None, box.base_url)
    doc_id = new_doc(box, "Running doc")

    def trashed() -> bool:
        got = clients.drive.files().get(fileId=doc_id, fields="id,trashed").execute()
        return bool(got["trashed"])

    assert trashed() is False
    status, answer = request(box, "POST", f"/_sandbox/documents/{doc_id}:trash")
    assert (status, answer) == (200, {"id": doc_id, "trashed": True})
    assert trashed() is True
    # Google still serves a trashed doc to its owner (docs/google-api-notes.md).
    assert clients.docs.documents().get(documentId=doc_id).execute()["title"] == "Running doc"
    reply = clients.docs.documents().batchUpdate(documentId=doc_id, body=insert("x")).execute()
    assert reply["documentId"] == doc_id
    assert request(box, "GET", "/_sandbox/state")[1]["drive"]["trashed"] == [doc_id]

    assert request(box, "POST", f"/_sandbox/documents/{doc_id}:untrash")[1]["trashed"] is False
    assert trashed() is False


def test_trashing_an_unknown_doc_is_a_404(box: Sandbox) -> None:
    status, answer = request(box, "POST", "/_sandbox/documents/nope:trash")
    assert status == 404 and "File not found" in answer["error"]


def test_the_trash_survives_a_restart_and_reset_empties_it(tmp_path: Path) -> None:
    state_file = tmp_path / "state.json"
    with Sandbox(state_file=state_file) as first:
        doc_id = new_doc(first)
        request(first, "POST", f"/_sandbox/documents/{doc_id}:trash")
    with Sandbox(state_file=state_file) as second:
        assert second.drive.get_file(doc_id, {"fields": "trashed"}) == {"trashed": True}
        second.reset()
        assert second.drive.trashed == set()
