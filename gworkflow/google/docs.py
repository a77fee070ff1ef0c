"""The running Google Doc: read it, append one meeting's section safely, create and share it.

`RunningDoc` takes the Docs and Drive resources (built by `gworkflow.google.clients`); it
never builds clients itself, so tests hand it ones talking to the sandbox. What a section
says (template -> blocks) lives in `gworkflow.agenda.render`; how blocks become requests in
`gworkflow.agenda.requests`; finding and parsing sections in `gworkflow.agenda.parse`.

Appending is one atomic batchUpdate guarded by `writeControl.requiredRevisionId` (a write
fails with 400 instead of landing on a doc that changed since we read it), and the section
carries a named-range marker so a write whose answer was lost can be recognised on re-read.
Every request goes through `gworkflow.google.gateway.execute`, which retries transient
errors (5xx, 429, rate-limit 403s), checks each answer's shape (`gworkflow.google.answers`)
and words every failure; this module only adds the re-read-and-check logic on top, never a
second retry loop for those. After a re-read the section is planned again from the new read
(`replan`), so a goal typed into the previous section meanwhile is carried too. `RunningDoc`
is the runner's `AgendaDoc` port (`gworkflow.ports`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from gworkflow.agenda.blocks import INTRO_MARKER, Block
from gworkflow.agenda.docjson import iter_tabs, select_tab
from gworkflow.agenda.requests import build_section
from gworkflow.deadline import Deadline
from gworkflow.errors import DeadlinePassed, GoogleError, GoogleUnavailable, GworkflowError
from gworkflow.google import answers
from gworkflow.google.gateway import NUM_RETRIES, ApiError, Call, execute
from gworkflow.ports import AppendResult, Replan
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


def _doc_call(
    action: str, service: str = DOCS, expect: Callable[[Any], str | None] | None = None
) -> Call:
    return Call(service, action, gone=_DOC_GONE, denied=_DOC_DENIED, expect=expect)


@dataclass(frozen=True)
class Sharing:
    """Who may open the doc, as Drive lists it: `writers` (owner and writers, by address,
    lower-cased) and `others` (commenters and readers). `visible` is False when Drive would
    not list the permissions (with the drive.file scope, for a doc gworkflow did not
    create)."""

    visible: bool
    writers: frozenset[str] = frozenset()
    others: frozenset[str] = frozenset()

    def lacking(self, emails: Sequence[str]) -> list[str]:
        """The addresses of `emails` that may not edit the doc."""
        return [e for e in emails if e.casefold() not in self.writers]


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
        sleep: Callable[[float], None] | None = None,
        deadline: Deadline | None = None,
    ) -> None:
        self._docs = docs
        self._drive = drive
        self._num_retries = num_retries
        self._deadline = deadline or Deadline(None)
        self._sleep = sleep

    def _execute(self, request: Any, call: Call) -> JSON:
        return execute(request, call, self._num_retries, self._deadline)

    def _wait(self, seconds: float, failure: GoogleUnavailable) -> None:
        """Back off before re-reading, within the run's deadline; past it, `failure` says
        what happened, and that the next run will look for the section."""
        if self._sleep is not None:
            self._sleep(seconds)
            return
        landed = "if the section landed, the next run finds it and never writes it twice"
        if isinstance(failure, DeadlinePassed):
            raise DeadlinePassed(f"{failure.message}; {landed}")
        if not self._deadline.sleep(seconds):
            raise DeadlinePassed(
                f"{failure.message}; the run's {self._deadline.describe()} passed before "
                f"gworkflow could look again: {landed}"
            )

    def fetch(self, doc_id: str) -> JSON:
        """The whole document, every tab's content included."""
        request = self._docs.documents().get(documentId=doc_id, includeTabsContent=True)
        return self._execute(
            request, _doc_call(f"read Google Doc {doc_id}", expect=answers.document)
        )

    def append_section(
        self,
        doc_id: str,
        tab: str | None,
        position: Position,
        marker: str,
        blocks: Sequence[Block],
        doc: JSON | None = None,
        replan: Replan | None = None,
        max_attempts: int = 4,
    ) -> AppendResult:
        """Insert `blocks` as one section marked `marker`, once.

        Happy path: one documents.get (none when `doc` is given) and one batchUpdate. The
        marker already there -> nothing written. Someone edited between our read and write
        (stale revision) -> re-read, plan the section again from the new read (`replan`;
        None from it: the section is there, typed by hand) and rebuild. The write's answer
        lost (timeout, 5xx, connection, an unreadable answer) -> re-read and look for the
        marker before writing again, so one meeting never gets two sections. At most
        `max_attempts` batchUpdates.

        `written` in the result says whether this call put the section there (or may have:
        an answer was lost and the marker is there now); `by_another` that it appeared
        while none of our writes can have landed: another run wrote it.
        """
        attempts = 0
        maybe_landed = False  # an earlier attempt may have written the section
        # A 400 to a revision-guarded write, and the revision that write carried.
        refused: tuple[ApiError, object] | None = None
        while True:
            if doc is None:
                doc = self.fetch(doc_id)
                if replan is not None and not marker_present(doc, marker):
                    planned = replan(doc)
                    if planned is None:  # a section for the meeting is there, typed by hand
                        return AppendResult(False, attempts, doc.get("revisionId"), attempts > 0)
                    blocks = planned
            revision = doc.get("revisionId")
            if marker_present(doc, marker):
                # We tried and none of our sends can have landed: another run wrote it.
                meanwhile = attempts > 0 and not maybe_landed
                return AppendResult(maybe_landed, attempts, revision, meanwhile)
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
            call = _doc_call(
                f"add the agenda section to Google Doc {doc_id}", expect=answers.batch_update_reply
            )
            try:
                reply = self._execute(request, call)
            except GoogleUnavailable as failure:
                # 5xx, 429, the network or an unreadable answer after execute()'s retries:
                # the write may have landed with its answer lost.
                maybe_landed = True
                self._wait(min(2.0**attempts, 30.0), failure)
            except ApiError as error:
                # A stale requiredRevisionId is a 400 whose wording Google does not document
                # (docs/google-api-notes.md, "Wording of the stale-revision 400"): any 400 to
                # a guarded write means re-read; a moved revision means rebuild and retry.
                if error.status != 400 or not revision:
                    raise
                refused = (error, revision)
                # Nothing from this send landed; but the gateway's retry of an earlier 5xx
                # (sends > 1) may have, and then made the revision stale itself.
                maybe_landed = maybe_landed or error.sends > 1
            else:
                written = reply.get("writeControl", {}).get("requiredRevisionId")
                return AppendResult(True, attempts, written or revision)
            doc = None  # re-read: the doc changed, or our write may have landed

    def create(self, title: str) -> JSON:
        """A new, empty Google Doc owned by the signed-in user: {"documentId", "title", ...}."""
        request = self._docs.documents().create(body={"title": title})
        call = _doc_call(f"create a Google Doc titled {title!r}", expect=answers.new_document)
        return self._execute(request, call)

    def write_intro(self, created: JSON, blocks: Sequence[Block]) -> None:
        """Write `blocks` at the top of the doc `created` (documents.create's answer), marked
        INTRO_MARKER: one batchUpdate, guarded by the new doc's revision.

        Only for a doc just created, so it can never land in a doc someone wrote in. Written
        at most once: if the guarded write fails after it may have landed (its answer lost,
        and a retry then refused as stale), the doc is read and the marker looked for before
        the failure is reported.
        """
        doc_id = str(created["documentId"])
        content = select_tab(created)
        body: JSON = {"requests": build_section(blocks, content, "top", INTRO_MARKER)}
        revision = created.get("revisionId")
        if revision:
            body["writeControl"] = {"requiredRevisionId": revision}
        request = self._docs.documents().batchUpdate(documentId=doc_id, body=body)
        call = _doc_call(f"write 'How this doc works' into Google Doc {doc_id}")
        try:
            execute(request, call, self._num_retries)
        except (GoogleUnavailable, ApiError) as error:
            stale = isinstance(error, ApiError) and error.status == 400
            if not (stale or isinstance(error, GoogleUnavailable)):
                raise
            try:
                landed = marker_present(self.fetch(doc_id), INTRO_MARKER)
            except GworkflowError:
                raise error from None
            if not landed:
                raise

    def account_email(self) -> str | None:
        """The signed-in account's e-mail (Drive about.get, allowed with drive.file); None
        when Drive does not say."""
        request = self._drive.about().get(fields="user(emailAddress)")
        try:
            found = self._execute(
                request, Call(DRIVE, "read the signed-in account", expect=answers.about)
            )
        except ApiError:
            return None
        email = found.get("user", {}).get("emailAddress")
        return str(email) if email else None

    def can_edit(self, doc_id: str) -> bool | None:
        """Whether the signed-in account may edit the doc, as Drive says; None when Drive
        cannot tell: with the drive.file scope Drive only sees files this app created."""
        request = self._drive.files().get(fileId=doc_id, fields="capabilities(canEdit)")
        call = _doc_call(f"check access to Google Doc {doc_id}", DRIVE, answers.drive_file)
        try:
            found = self._execute(request, call)
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
            self._execute(request, _doc_call(f"share Google Doc {doc_id} with {email}", DRIVE))

    def trashed(self, doc_id: str) -> bool | None:
        """Whether the doc is in the Drive trash (Drive files.get `trashed`); None when
        Drive cannot tell (with the drive.file scope it sees only files this app created).
        The Docs API reads and writes a trashed doc as usual: only Drive says so."""
        request = self._drive.files().get(fileId=doc_id, fields="trashed")
        call = _doc_call(
            f"check whether Google Doc {doc_id} is in the trash", DRIVE, answers.drive_file
        )
        try:
            found = self._execute(request, call)
        except ApiError as error:
            if error.status in (403, 404):
                return None
            raise
        value = found.get("trashed")
        return value if isinstance(value, bool) else None

    def sharing(self, doc_id: str) -> Sharing:
        """Who may open the doc (Drive permissions.list)."""
        found: list[JSON] = []
        page_token: str | None = None
        call = _doc_call(f"list who can open Google Doc {doc_id}", DRIVE, answers.permissions)
        while True:
            request = self._drive.permissions().list(
                fileId=doc_id,
                fields="nextPageToken,permissions(emailAddress,role,type)",
                pageToken=page_token,
            )
            try:
                page = self._execute(request, call)
            except ApiError as error:
                if error.status in (403, 404):
                    return Sharing(visible=False)
                raise
            found += page.get("permissions", [])
            page_token = page.get("nextPageToken")
            if not page_token:
                break
        writers = {
            str(p.get("emailAddress", "")).casefold()
            for p in found
            if p.get("role") in ("owner", "organizer", "fileOrganizer", "writer")
        }
        others = {str(p.get("emailAddress", "")).casefold() for p in found} - writers
        return Sharing(True, frozenset(writers - {""}), frozenset(others - {""}))

    def write_new(self, doc_id: str, requests: Sequence[JSON], revision: str | None) -> None:
        """One batchUpdate of `requests` into a doc this app has just created (nobody else
        has it yet, so there is nothing to re-read), guarded by the `revision` that
        documents.create answered: a write retried after it landed fails instead of
        landing twice."""
        body: JSON = {"requests": list(requests)}
        if revision:
            body["writeControl"] = {"requiredRevisionId": revision}
        request = self._docs.documents().batchUpdate(documentId=doc_id, body=body)
        call = _doc_call(
            f"write into the new Google Doc {doc_id}", expect=answers.batch_update_reply
        )
        self._execute(request, call)
