"""The running Google Doc: read it, append one meeting's section safely, create and share it.

`RunningDoc` takes the Docs and Drive resources (built by `gworkflow.google.clients`); it
never builds clients itself, so tests hand it ones talking to the sandbox. What a section
says (template -> blocks) lives in `gworkflow.agenda.render`; how blocks become requests in
`gworkflow.agenda.requests`; finding and parsing sections in `gworkflow.agenda.parse`.

Appending is one atomic batchUpdate guarded by `writeControl.requiredRevisionId` (a write
fails with 400 instead of landing on a doc that changed since we read it), and the section
carries a named-range marker so a write whose answer was lost can be recognised on re-read.
Transient errors (5xx, 429, rate-limit 403s) are retried by `execute(num_retries=...)`; this
module only adds the re-read-and-check logic on top, never a second retry loop for those.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import httplib2
from google.auth.exceptions import RefreshError, TransportError
from googleapiclient.errors import HttpError

from gworkflow.agenda.blocks import Block
from gworkflow.agenda.docjson import iter_tabs, select_tab
from gworkflow.agenda.requests import build_section
from gworkflow.errors import GoogleError, NotFound, SignInNeeded
from gworkflow.google.clients import NUM_RETRIES, error_message, error_status
from gworkflow.types import JSON

Position = Literal["end", "top"]

# Errors after which a write may or may not have landed on Google's side.
_UNCERTAIN = (
    TimeoutError,
    socket.timeout,
    ConnectionError,
    httplib2.HttpLib2Error,
    TransportError,
    OSError,
)


@dataclass(frozen=True)
class AppendResult:
    """What `append_section` did.

    `written` is True when this call put the section in the doc (including a write whose
    answer was lost but whose marker was found on re-reading); False when the marker was
    already there before we wrote. `attempts` counts batchUpdate calls (0 when nothing was
    written); `revision_id` is the doc's revision after the write, or as last read.
    """

    written: bool
    attempts: int
    revision_id: str | None


def _is_stale_revision(exc: HttpError) -> bool:
    # A stale requiredRevisionId is a 400 whose message talks about the revision
    # (docs.v1.json WriteControl.requiredRevisionId: "If the required revision ID doesn't
    # match the document's current revision, the request is not processed and returns a
    # 400 bad request error.").
    return error_status(exc) == 400 and "revision" in error_message(exc).lower()


def _translate(exc: HttpError, doc_id: str, doing: str) -> GoogleError | SignInNeeded:
    status = error_status(exc)
    message = error_message(exc)
    if status == 404:
        return NotFound(
            f"Google Doc {doc_id} was not found while {doing} (deleted, or a wrong doc_id): "
            "fix doc_id in the config or make a new doc with `gworkflow doc create`"
        )
    if status == 403:
        return NotFound(
            f"no access to Google Doc {doc_id} while {doing} ({message or 'permission denied'}): "
            "ask its owner to share it with you as an editor, or sign in with the right "
            "account (`gworkflow auth login`)"
        )
    if status == 401:
        return SignInNeeded(
            f"Google rejected the sign-in while {doing}: run `gworkflow auth login`"
        )
    if status >= 500 or status == 429:
        return GoogleError(
            f"Google Docs is not answering (HTTP {status}) while {doing} doc {doc_id}, "
            "even after retries: try again in a few minutes"
        )
    return GoogleError(f"Google Docs refused {doing} doc {doc_id} (HTTP {status}): {message}")


def marker_present(doc: JSON, marker: str) -> bool:
    """Whether any tab of `doc` (legacy or tabs form) holds a named range called `marker`."""
    if marker in doc.get("namedRanges", {}):
        return True
    return any(
        marker in tab.get("documentTab", {}).get("namedRanges", {}) for tab in iter_tabs(doc)
    )


class RunningDoc:
    """Reads and writes the running agenda doc through the given API resources."""

    def __init__(
        self,
        docs: Any,
        drive: Any,
        num_retries: int = NUM_RETRIES,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._docs = docs
        self._drive = drive
        self._num_retries = num_retries
        self._sleep = sleep

    def _execute(self, request: Any, doc_id: str, doing: str) -> Any:
        try:
            return request.execute(num_retries=self._num_retries)
        except HttpError as exc:
            raise _translate(exc, doc_id, doing) from None
        except RefreshError:
            raise SignInNeeded(
                "the Google sign-in has expired or was revoked: run `gworkflow auth login`"
            ) from None
        except _UNCERTAIN as exc:
            raise GoogleError(
                f"cannot reach Google Docs while {doing} doc {doc_id} ({exc or type(exc).__name__}): "
                "check the network and try again"
            ) from None

    def fetch(self, doc_id: str) -> JSON:
        """The whole document, every tab's content included."""
        request = self._docs.documents().get(documentId=doc_id, includeTabsContent=True)
        doc: JSON = self._execute(request, doc_id, "reading")
        return doc

    def append_section(
        self,
        doc_id: str,
        tab: str | None,
        position: Position,
        marker: str,
        blocks: Sequence[Block],
        doc: JSON | None = None,
        max_attempts: int = 4,
    ) -> AppendResult:
        """Insert `blocks` as one section marked `marker`, once.

        Happy path: one documents.get (none when `doc` is given) and one batchUpdate. The
        marker already there -> nothing written. Someone edited between our read and write
        (stale revision) -> re-read and rebuild. The write's answer lost (timeout, 5xx,
        connection) -> re-read and look for the marker before writing again, so one meeting
        never gets two sections. At most `max_attempts` batchUpdates.
        """
        attempts = 0
        maybe_landed = False  # an earlier attempt may have written the section
        while True:
            if doc is None:
                doc = self.fetch(doc_id)
            revision = doc.get("revisionId")
            if marker_present(doc, marker):
                return AppendResult(maybe_landed, attempts, revision)
            if attempts >= max_attempts:
                raise GoogleError(
                    f"could not add the agenda section to Google Doc {doc_id} after "
                    f"{attempts} attempts (it kept changing, or Google kept failing): "
                    "run the command again"
                )
            content = select_tab(doc, tab)
            body: JSON = {"requests": build_section(blocks, content, position, marker)}
            if revision:
                body["writeControl"] = {"requiredRevisionId": revision}
            attempts += 1
            request = self._docs.documents().batchUpdate(documentId=doc_id, body=body)
            try:
                reply = request.execute(num_retries=self._num_retries)
            except HttpError as exc:
                status = error_status(exc)
                if _is_stale_revision(exc):
                    # Nothing from this call landed; but execute()'s own retry of an earlier
                    # 5xx may have, and then made the revision stale itself.
                    maybe_landed = True
                elif status == 400 and revision:
                    # The stale-revision 400's wording is not documented (docs/google-api-
                    # notes.md, "Wording of the stale-revision 400"): a 400 on a guarded
                    # write is stale when the doc's revision has moved on since our read.
                    fresh = self.fetch(doc_id)
                    if fresh.get("revisionId") == revision:
                        raise _translate(exc, doc_id, "adding the agenda section to") from None
                    maybe_landed, doc = True, fresh
                    continue
                elif status >= 500 or status == 429:
                    maybe_landed = True
                    self._sleep(min(2.0**attempts, 30.0))
                else:
                    raise _translate(exc, doc_id, "adding the agenda section to") from None
            except RefreshError:
                raise SignInNeeded(
                    "the Google sign-in has expired or was revoked: run `gworkflow auth login`"
                ) from None
            except _UNCERTAIN:
                maybe_landed = True
                self._sleep(min(2.0**attempts, 30.0))
            else:
                written = reply.get("writeControl", {}).get("requiredRevisionId")
                return AppendResult(True, attempts, written or revision)
            doc = None  # re-read: the doc changed, or our write may have landed

    def create(self, title: str) -> JSON:
        """A new, empty Google Doc owned by the signed-in user: {"documentId", "title", ...}."""
        request = self._docs.documents().create(body={"title": title})
        created: JSON = self._execute(request, title, "creating")
        return created

    def account_email(self) -> str | None:
        """The signed-in account's e-mail (Drive about.get, allowed with drive.file); None
        when Drive does not say."""
        request = self._drive.about().get(fields="user(emailAddress)")
        try:
            found = request.execute(num_retries=self._num_retries)
        except HttpError:
            return None
        email = found.get("user", {}).get("emailAddress")
        return str(email) if email else None

    def can_edit(self, doc_id: str) -> bool | None:
        """Whether the signed-in account may edit the doc, as Drive says; None when Drive
        cannot tell: with the drive.file scope Drive only sees files this app created."""
        request = self._drive.files().get(fileId=doc_id, fields="capabilities(canEdit)")
        try:
            found = request.execute(num_retries=self._num_retries)
        except HttpError as exc:
            if error_status(exc) in (403, 404):
                return None
            raise _translate(exc, doc_id, "checking access to") from None
        return bool(found.get("capabilities", {}).get("canEdit"))

    def share(self, doc_id: str, emails: Sequence[str], notify: bool = True) -> None:
        """Give each address edit access; Google e-mails them a link when `notify`."""
        for email in emails:
            request = self._drive.permissions().create(
                fileId=doc_id,
                body={"role": "writer", "type": "user", "emailAddress": email},
                sendNotificationEmail=notify,
                fields="id",
            )
            self._execute(request, doc_id, f"sharing with {email}")
