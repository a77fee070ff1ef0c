"""The Google Docs v1 emulator engine of the sandbox: documents kept in memory, no HTTP.

Lives here: DocsStore (documents.create / get / batchUpdate, seeding captured documents,
JSON persistence), the legacy <-> tabs conversion of documents.get, the checks a seeded
document must pass (`check_document`), the document size limit (`document_chars`), and
`check_index_consistency` (re-exported for tests). Does not live here: the HTTP server
(another module calls DocsStore), request semantics (docs_requests.py), index arithmetic
(docs_segment.py), list presets (docs_lists.py).

Documents are stored in the tabs form (`tabs[]`, each with a `documentTab`); a document
seeded in the legacy form is stored as one tab "t.0" and read back unchanged.
"""

from __future__ import annotations

import copy
import json
import random
import string
from typing import Any

from gworkflow.sandbox.docs_requests import HANDLERS, Edit, empty_body
from gworkflow.sandbox.docs_segment import InvalidRequest, check_index_consistency
from gworkflow.sandbox.errors import ApiError

__all__ = ["DocsStore", "check_document", "check_index_consistency", "document_chars"]

JSON = dict[str, Any]

# docs.v1.json DocumentTab properties: what the legacy form keeps at the top level.
TAB_FIELDS = (
    "body",
    "headers",
    "footers",
    "footnotes",
    "documentStyle",
    "suggestedDocumentStyleChanges",
    "namedStyles",
    "suggestedNamedStylesChanges",
    "lists",
    "namedRanges",
    "inlineObjects",
    "positionedObjects",
    "commentAnchors",
    "dropdownDefinitions",
)

NOT_FOUND = "Requested entity was not found."
# Google documents that a stale requiredRevisionId is a 400 but not its wording (noted in
# piotr-agier/google-drive-mcp#219); clients match on the word "revision".
STALE_REVISION = (
    "The document revision {given} does not match the latest revision {latest}: the "
    "document was changed after it was read (writeControl.requiredRevisionId)."
)
# Google publishes no exact size limit nor its error (docs/google-api-notes.md, *Docs
# document size limit*); this wording is the sandbox's.
TOO_LARGE = (
    "The document would exceed the maximum document size: after this update it would hold "
    "{after} characters, over the limit of {limit}."
)
# Requests Google has that the sandbox does not apply (said plainly, not silently ignored).
_KNOWN_UNSUPPORTED = frozenset(
    {
        "acceptSuggestion", "addCommentReply", "createDropdownDefinition", "createFooter",
        "createFootnote", "createHeader", "deleteComment", "deleteCommentReply",
        "deleteDropdownDefinition", "deleteFooter", "deleteHeader", "deletePositionedObject",
        "deleteSuggestion", "deleteTab", "deleteTableColumn", "deleteTableRow",
        "insertComment", "insertDropdown", "insertInlineImage", "insertPageBreak",
        "insertSectionBreak", "insertTable", "insertTableColumn", "insertTableRow",
        "mergeTableCells", "pinTableHeaderRows", "rejectSuggestion", "replaceImage",
        "replaceNamedRangeContent", "unmergeTableCells", "updateCommentPost",
        "updateDocumentStyle", "updateDocumentTabProperties",
        "updateDropdownDefinitionProperties", "updateDropdownProperties", "updateNamedStyle",
        "updateSectionStyle", "updateTableCellStyle", "updateTableColumnProperties",
        "updateTableRowStyle",
    }
)  # fmt: skip


class DocsStore:
    """Every document of the sandbox, by documentId."""

    def __init__(self, seed: int | None = None) -> None:
        self._docs: dict[str, JSON] = {}
        self._rng = random.Random(seed)

    # --- ids ------------------------------------------------------------------------

    def _token(self, length: int, alphabet: str) -> str:
        return "".join(self._rng.choice(alphabet) for _ in range(length))

    def _new_id(self, prefix: str) -> str:
        """Ids shaped like Google's: "h.", "kix.", "t." then 12 lowercase letters/digits."""
        return prefix + self._token(12, string.ascii_lowercase + string.digits)

    def _new_revision(self) -> str:
        return self._token(86, string.ascii_letters + string.digits + "-_")

    def _new_document_id(self) -> str:
        while True:
            document_id = "1" + self._token(43, string.ascii_letters + string.digits + "-_")
            if document_id not in self._docs:
                return document_id

    # --- documents ------------------------------------------------------------------

    def create(self, body: dict[str, Any]) -> dict[str, Any]:
        """documents.create: a blank document; Google ignores everything but the title."""
        document_id = self._new_document_id()
        doc: JSON = {"title": body.get("title") or "Untitled document"}
        doc["revisionId"] = self._new_revision()
        doc["suggestionsViewMode"] = "SUGGESTIONS_INLINE"
        doc["documentId"] = document_id
        doc["tabs"] = [
            {
                "tabProperties": {"tabId": "t.0", "title": "Tab 1"},
                "documentTab": {
                    "body": {"content": empty_body()},
                    "documentStyle": _default_document_style(),
                    "namedStyles": _default_named_styles(),
                },
            }
        ]
        self._docs[document_id] = doc
        return self.get(document_id, include_tabs_content=False)

    def seed(self, doc: dict[str, Any]) -> str:
        """Store a captured documents.get JSON (either form) as is; returns its id.
        Raises ValueError when `doc` is not a document (see `check_document`)."""
        check_document(doc)
        stored = copy.deepcopy(doc)
        document_id = stored.get("documentId")
        if not document_id or document_id in self._docs:
            document_id = self._new_document_id()
            stored["documentId"] = document_id
        if "tabs" not in stored:
            stored = _legacy_to_tabs(stored)
        if not stored.get("revisionId"):
            stored["revisionId"] = self._new_revision()
        self._docs[document_id] = stored
        return str(document_id)

    def get(self, document_id: str, include_tabs_content: bool) -> dict[str, Any]:
        """documents.get, in the tabs form or (without includeTabsContent) the legacy one."""
        doc = self._require(document_id)
        if include_tabs_content:
            return copy.deepcopy(doc)
        return _tabs_to_legacy(doc)

    def delete(self, document_id: str) -> None:
        """Test hook: the document was deleted, later calls answer 404."""
        self._require(document_id)
        del self._docs[document_id]

    def summaries(self) -> list[dict[str, Any]]:
        return [
            {"documentId": document_id, "title": doc.get("title", "")}
            for document_id, doc in self._docs.items()
        ]

    def batch_update(
        self, document_id: str, body: dict[str, Any], max_chars: int | None = None
    ) -> dict[str, Any]:
        """documents.batchUpdate: every request applies, or none does. With `max_chars`, a
        batch that would leave the document longer than that (and longer than it was) is
        refused with a 400."""
        stored = self._require(document_id)
        control = body.get("writeControl") or {}
        required = control.get("requiredRevisionId")
        if required is not None and required != stored.get("revisionId"):
            raise ApiError(
                400, STALE_REVISION.format(given=required, latest=stored.get("revisionId"))
            )
        # targetRevisionId asks Google to merge with collaborators' changes; the sandbox has
        # no collaborators, so the requests simply apply to the latest revision.
        requests = body.get("requests") or []
        if not requests:
            raise ApiError(400, "Must specify at least one request.")
        work = copy.deepcopy(stored)
        edit = Edit(work, self._new_id)
        replies: list[JSON] = []
        for n, request in enumerate(requests):
            replies.append(_apply_one(edit, n, request))
        if max_chars is not None:
            after = document_chars(work)
            # A batch that shrinks an oversized (seeded) doc is still allowed.
            if after > max_chars and after > document_chars(stored):
                raise ApiError(400, TOO_LARGE.format(after=after, limit=max_chars))
        work["revisionId"] = self._new_revision()
        self._docs[document_id] = work
        return {
            "documentId": document_id,
            "replies": replies,
            "writeControl": {"requiredRevisionId": work["revisionId"]},
        }

    def _require(self, document_id: str) -> JSON:
        doc = self._docs.get(document_id)
        if doc is None:
            raise ApiError(404, NOT_FOUND)
        return doc

    # --- persistence ----------------------------------------------------------------

    def to_state(self) -> dict[str, Any]:
        version, internal, gauss = self._rng.getstate()
        return {
            "documents": copy.deepcopy(self._docs),
            "random": [version, list(internal), gauss],
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> DocsStore:
        store = cls()
        store._docs = json.loads(json.dumps(state.get("documents", {})))
        saved = state.get("random")
        if saved:
            store._rng.setstate((saved[0], tuple(saved[1]), saved[2]))
        return store


def check_document(doc: Any) -> None:
    """Raise ValueError, saying what is wrong, unless `doc` is a documents.get JSON the
    sandbox can hold: an object with a body (legacy form) or tabs each with a documentTab
    and a body, whose indexes are consistent (`check_index_consistency`)."""
    if not isinstance(doc, dict):
        raise ValueError(f"a document must be a JSON object, not {_json_type(doc)}")
    for key in ("documentId", "title", "revisionId"):
        if key in doc and not isinstance(doc[key], str):
            raise ValueError(f"a document's {key} must be a string, not {_json_type(doc[key])}")
    if "tabs" in doc:
        tabs = doc["tabs"]
        if not isinstance(tabs, list) or not tabs:
            raise ValueError("a document's tabs must be a non-empty list")
        _check_tabs(tabs, "tabs")
    elif "body" in doc:
        _check_body(doc["body"], "body")
    else:
        raise ValueError("a document needs a body (legacy form) or tabs")
    try:
        check_index_consistency(doc)
    except AssertionError as error:
        raise ValueError(f"the document's indexes are inconsistent: {error}") from None
    except (AttributeError, TypeError, KeyError, IndexError) as error:
        raise ValueError(f"the document's content is malformed: {error!r}") from None


def _check_tabs(tabs: list[Any], where: str) -> None:
    for n, tab in enumerate(tabs):
        here = f"{where}[{n}]"
        if not isinstance(tab, dict):
            raise ValueError(f"{here} must be an object, not {_json_type(tab)}")
        document_tab = tab.get("documentTab")
        if not isinstance(document_tab, dict):
            raise ValueError(f"{here} has no documentTab object")
        _check_body(document_tab.get("body"), f"{here}.documentTab.body")
        children = tab.get("childTabs", [])
        if not isinstance(children, list):
            raise ValueError(f"{here}.childTabs must be a list")
        _check_tabs(children, f"{here}.childTabs")


def _check_body(body: Any, where: str) -> None:
    if not isinstance(body, dict):
        raise ValueError(f"{where} must be an object, not {_json_type(body)}")
    content = body.get("content")
    if not isinstance(content, list) or not all(isinstance(item, dict) for item in content):
        raise ValueError(f"{where}.content must be a list of objects")


def _json_type(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}
    if value is None:
        return "null"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return "a number"
    return names.get(type(value), type(value).__name__)


def document_chars(doc: Any) -> int:
    """How many characters a document holds: its text runs in every segment of every tab
    (body, headers, footers, footnotes, tables included)."""
    total = 0
    stack = [doc]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            run = value.get("textRun")
            if isinstance(run, dict) and isinstance(run.get("content"), str):
                total += len(run["content"])
            stack.extend(v for k, v in value.items() if k != "textRun")
        elif isinstance(value, list):
            stack.extend(value)
    return total


def _apply_one(edit: Edit, n: int, request: Any) -> JSON:
    if not isinstance(request, dict) or len(request) != 1:
        raise ApiError(400, f"Invalid requests[{n}]: exactly one kind of request must be set.")
    kind, params = next(iter(request.items()))
    handler = HANDLERS.get(kind)
    if handler is None:
        if kind in _KNOWN_UNSUPPORTED:
            raise ApiError(400, f"Invalid requests[{n}].{kind}: not implemented by the sandbox.")
        # Google's wording for an unknown request name.
        raise ApiError(
            400,
            f"Invalid JSON payload received. Unknown name \"{kind}\" at 'requests[{n}]': "
            "Cannot find field.",
        )
    try:
        return handler(edit, params if isinstance(params, dict) else {})
    except InvalidRequest as exc:
        raise ApiError(400, f"Invalid requests[{n}].{kind}: {exc.reason}") from exc


# --- the two forms of documents.get -----------------------------------------------------


def _legacy_to_tabs(doc: JSON) -> JSON:
    tab_content = {key: doc[key] for key in TAB_FIELDS if key in doc}
    converted = {key: value for key, value in doc.items() if key not in TAB_FIELDS}
    props: JSON = {"tabId": "t.0"}
    if doc.get("title"):
        props["title"] = doc["title"]
    converted["tabs"] = [{"tabProperties": props, "documentTab": tab_content}]
    return converted


def _tabs_to_legacy(doc: JSON) -> JSON:
    legacy: JSON = {}
    if "title" in doc:
        legacy["title"] = doc["title"]
    tabs = doc.get("tabs") or []
    first = tabs[0].get("documentTab", {}) if tabs else {}
    for key in TAB_FIELDS:
        if key in first:
            legacy[key] = first[key]
    for key, value in doc.items():
        if key not in ("tabs", "title"):
            legacy[key] = value
    return copy.deepcopy(legacy)


def _dimension(magnitude: float) -> JSON:
    return {"magnitude": magnitude, "unit": "PT"}


def _default_document_style() -> JSON:
    """A new document's style: US Letter, 1 inch margins (values as in captured docs)."""
    return {
        "background": {"color": {}},
        "pageNumberStart": 1,
        "marginTop": _dimension(72),
        "marginBottom": _dimension(72),
        "marginRight": _dimension(72),
        "marginLeft": _dimension(72),
        "pageSize": {"height": _dimension(792), "width": _dimension(612)},
        "marginHeader": _dimension(36),
        "marginFooter": _dimension(36),
        "useCustomHeaderFooterMargins": True,
    }


def _default_named_styles() -> JSON:
    """A compact version of the named styles Google gives a new document."""
    sizes = {
        "NORMAL_TEXT": 11,
        "HEADING_1": 20,
        "HEADING_2": 16,
        "HEADING_3": 14,
        "HEADING_4": 12,
        "HEADING_5": 11,
        "HEADING_6": 11,
        "TITLE": 26,
        "SUBTITLE": 15,
    }
    styles = []
    for name, size in sizes.items():
        text_style: JSON = {
            "fontSize": _dimension(size),
            "weightedFontFamily": {"fontFamily": "Arial", "weight": 400},
        }
        styles.append(
            {
                "namedStyleType": name,
                "textStyle": text_style,
                "paragraphStyle": {"namedStyleType": name, "direction": "LEFT_TO_RIGHT"},
            }
        )
    return {"styles": styles}
