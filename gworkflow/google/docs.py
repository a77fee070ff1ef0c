"""The running Google Doc: read it, append one meeting's section safely, create and share it.

`RunningDoc` takes the Docs and Drive resources (built by `gworkflow.google.clients`); it
never builds clients itself, so tests hand it ones talking to the sandbox. What a section
says (template -> blocks) lives in `gworkflow.agenda.render`; how blocks become requests in
`gworkflow.agenda.requests`; finding and parsing sections in `gworkflow.agenda.parse`.

Appending is one atomic batchUpdate guarded by `writeControl.requiredRevisionId` (a write
fails with 400 instead of landing on a doc that changed since we read it), and the section
carries a named-range marker so a write whose answer was lost can be recognised on re-read.
Every request goes through `gworkflow.google.gateway.execute`, which retries transient
errors (5xx, 429, rate-limit 403s) and words every failure; this module only adds the
re-read-and-check logic on top, never a second retry loop for those. `RunningDoc` is the
runner's `AgendaDoc` port (`gworkflow.ports`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

from gworkflow.agenda.blocks import Block
from gworkflow.agenda.docjson import iter_tabs, select_tab
from gworkflow.agenda.requests import build_section
from gworkflow.errors import GoogleError, GoogleUnavailable
from gworkflow.google.gateway import NUM_RETRIES, ApiError, Call, execute
from gworkflow.ports import AppendResult
from gworkflow.types import JSON, Position

DOCS = "Google Docs"
DRIVE = "Google Drive"
_DOC_GONE = (
    "the doc was deleted or doc_id is wrong; fix doc_id in the config, or make a new doc "
    "with `gworkflow doc create`"
)
_DOC_DENIED = (
    "ask its owner to share it with you as an editor, or sign in with the right account "
    "(`gworkflow auth login`)"
)


def _doc_call(action: str, service: str = DOCS) -> Call:
    return Call(service, action, gone=_DOC_GONE, denied=_DOC_DENIED)


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

    def fetch(self, doc_id: str) -> JSON:
        """The whole document, every tab's content included."""
        request = self._docs.documents().get(documentId=doc_id, includeTabsContent=True)
        return execute(request, _doc_call(f"read Google Doc {doc_id}"), self._num_retries)

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
        # A 400 to a revision-guarded write, and the revision that write carried.
        refused: tuple[ApiError, object] | None = None
        while True:
            if doc is None:
                doc = self.fetch(doc_id)
            revision = doc.get("revisionId")
            if marker_present(doc, marker):
                return AppendResult(maybe_landed, attempts, revision)
            if refused is not None:
                if revision == refused[1]:
                    # The doc did not move, so the 400 was not about a stale revision: our
                    # request itself was refused. Report it.
                    raise refused[0]
                refused = None
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
            call = _doc_call(f"add the agenda section to Google Doc {doc_id}")
            try:
                reply = execute(request, call, self._num_retries)
            except GoogleUnavailable:
                # 5xx, 429 or the network after execute()'s retries: the write may have
                # landed with its answer lost.
                maybe_landed = True
                self._sleep(min(2.0**attempts, 30.0))
            except ApiError as error:
                # A stale requiredRevisionId is a 400 whose wording Google does not document
                # (docs/google-api-notes.md, "Wording of the stale-revision 400"): any 400 to
                # a guarded write means re-read; a moved revision means rebuild and retry.
                if error.status != 400 or not revision:
                    raise
                refused = (error, revision)
                # Nothing from this call landed; but execute()'s own retry of an earlier
                # 5xx may have, and then made the revision stale itself.
                maybe_landed = True
            else:
                written = reply.get("writeControl", {}).get("requiredRevisionId")
                return AppendResult(True, attempts, written or revision)
            doc = None  # re-read: the doc changed, or our write may have landed

    def create(self, title: str) -> JSON:
        """A new, empty Google Doc owned by the signed-in user: {"documentId", "title", ...}."""
        request = self._docs.documents().create(body={"title": title})
        return execute(
            request, _doc_call(f"create a Google Doc titled {title!r}"), self._num_retries
        )

    def account_email(self) -> str | None:
        """The signed-in account's e-mail (Drive about.get, allowed with drive.file); None
        when Drive does not say."""
        request = self._drive.about().get(fields="user(emailAddress)")
        try:
            found = execute(request, Call(DRIVE, "read the signed-in account"), self._num_retries)
        except ApiError:
            return None
        email = found.get("user", {}).get("emailAddress")
        return str(email) if email else None

    def can_edit(self, doc_id: str) -> bool | None:
        """Whether the signed-in account may edit the doc, as Drive says; None when Drive
        cannot tell: with the drive.file scope Drive only sees files this app created."""
        request = self._drive.files().get(fileId=doc_id, fields="capabilities(canEdit)")
        call = _doc_call(f"check access to Google Doc {doc_id}", DRIVE)
        try:
            found = execute(request, call, self._num_retries)
        except ApiError as error:
            if error.status in (403, 404):
                return None
            raise
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
            execute(
                request,
                _doc_call(f"share Google Doc {doc_id} with {email}", DRIVE),
                self._num_retries,
            )

    def write_new(self, doc_id: str, requests: Sequence[JSON], revision: str | None) -> None:
        """One batchUpdate of `requests` into a doc this app has just created (nobody else
        has it yet, so there is nothing to re-read), guarded by the `revision` that
        documents.create answered: a write retried after it landed fails instead of
        landing twice."""
        body: JSON = {"requests": list(requests)}
        if revision:
            body["writeControl"] = {"requiredRevisionId": revision}
        request = self._docs.documents().batchUpdate(documentId=doc_id, body=body)
        execute(request, _doc_call(f"write into the new Google Doc {doc_id}"), self._num_retries)
