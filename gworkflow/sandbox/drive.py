"""The sandbox's Drive v3: file metadata for the sandbox's documents, and their permissions.

Files are the documents the DocsStore holds (Drive and Docs share ids, as in Google); this
store only adds what Drive knows on top: permissions, the notification mails that
sharing would have sent, and which files are in the trash (`trashed`, set by the admin
routes `:trash` / `:untrash`; the Docs API keeps serving a trashed doc, see
docs/google-api-notes.md, *The trashed flag*). `fields` (partial response) is honoured for the common forms:
`id,name`, `permissions(id,role)`, `owners/emailAddress`, `*`.

Not here: the HTTP routing (server.py), request validation (schema.py).
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Callable
from typing import Any

from gworkflow.sandbox.errors import ApiError

JSON = dict[str, Any]
DOC_MIME_TYPE = "application/vnd.google-apps.document"
# Who owns every sandbox file: the signed-in user of the emulated account.
OWNER_EMAIL = "you@example.com"
ROLES = ("owner", "organizer", "fileOrganizer", "writer", "commenter", "reader")
TYPES = ("user", "group", "domain", "anyone")
# What Drive v3 returns without `fields`.
_DEFAULT_FILE_FIELDS = "kind,id,name,mimeType"
_DEFAULT_PERMISSION_FIELDS = "kind,id,type,role"


def select_fields(obj: Any, fields: str | None) -> Any:
    """Google's partial response: keep only `fields` of `obj` (None or "*" keeps all)."""
    if fields is None or fields.strip() in ("", "*"):
        return obj
    return _select(obj, _parse_fields(fields))


def _select_object(obj: JSON, fields: str) -> JSON:
    selected = select_fields(obj, fields)
    assert isinstance(selected, dict)
    return selected


def _parse_fields(text: str) -> dict[str, Any]:
    """`a,b(c,d/e),f/g` -> {"a": {}, "b": {"c": {}, "d": {"e": {}}}, "f": {"g": {}}}."""
    tree: dict[str, Any] = {}
    stack = [tree]
    path_nodes: list[dict[str, Any]] = []
    name = ""

    def flush() -> None:
        nonlocal name
        if name.strip():
            node = stack[-1]
            for part in name.strip().split("/"):
                node = node.setdefault(part, {})
            path_nodes.append(node)
        name = ""

    for ch in text:
        if ch == ",":
            flush()
            path_nodes.clear()
        elif ch == "(":
            flush()
            stack.append(path_nodes[-1] if path_nodes else stack[-1])
            path_nodes.clear()
        elif ch == ")":
            flush()
            path_nodes.clear()
            if len(stack) > 1:
                stack.pop()
        else:
            name += ch
    flush()
    return tree


def _select(obj: Any, tree: dict[str, Any]) -> Any:
    if not tree or "*" in tree:
        return obj
    if isinstance(obj, list):
        return [_select(item, tree) for item in obj]
    if not isinstance(obj, dict):
        return obj
    return {k: _select(obj[k], sub) for k, sub in tree.items() if k in obj}


class DriveStore:
    """Permissions and sent share notifications for the files `titles` knows.

    `titles(file_id)` gives a file's name, or None when there is no such file (the server
    passes a lookup into the DocsStore).
    """

    def __init__(self, titles: Callable[[str], str | None]) -> None:
        self._titles = titles
        self.permissions: dict[str, list[JSON]] = {}
        # One entry per notification mail Drive would have sent: {"fileId","emailAddress","role","emailMessage"}.
        self.notifications: list[JSON] = []
        # Ids of the files in their owner's trash.
        self.trashed: set[str] = set()
        self._ids = itertools.count(1)

    def _title(self, file_id: str) -> str:
        title = self._titles(file_id)
        if title is None:
            raise ApiError(404, f"File not found: {file_id}.", "notFound")
        return title

    def _file(self, file_id: str) -> JSON:
        return {
            "kind": "drive#file",
            "id": file_id,
            "name": self._title(file_id),
            "mimeType": DOC_MIME_TYPE,
            "webViewLink": f"https://docs.google.com/document/d/{file_id}/edit",
            "owners": [{"kind": "drive#user", "emailAddress": OWNER_EMAIL, "me": True}],
            "capabilities": {"canEdit": True, "canShare": True},
            "trashed": file_id in self.trashed,
        }

    def set_trashed(self, file_id: str, trashed: bool) -> JSON:
        """The owner moves the file to the trash (or restores it); files.get then reports
        `trashed`. Returns {"id", "trashed"}; 404 for an unknown file."""
        self._title(file_id)
        if trashed:
            self.trashed.add(file_id)
        else:
            self.trashed.discard(file_id)
        return {"id": file_id, "trashed": trashed}

    def get_file(self, file_id: str, params: JSON) -> JSON:
        """files.get: kind/id/name/mimeType by default, `fields` selects."""
        return _select_object(self._file(file_id), params.get("fields") or _DEFAULT_FILE_FIELDS)

    def _all_permissions(self, file_id: str) -> list[JSON]:
        owner = {
            "kind": "drive#permission",
            "id": "owner",
            "type": "user",
            "role": "owner",
            "emailAddress": OWNER_EMAIL,
        }
        return [owner, *self.permissions.get(file_id, [])]

    def create_permission(self, file_id: str, body: JSON, params: JSON) -> JSON:
        """permissions.create; a user/group grant mails a notification unless sendNotificationEmail=false."""
        self._title(file_id)
        role, kind = body.get("role"), body.get("type")
        if role is None or kind is None:
            missing = "role" if role is None else "type"
            raise ApiError(400, f"The permission {missing} field is required.", "required")
        if role not in ROLES:
            raise ApiError(
                400, f"The provided value for the permission role is invalid: {role}", "invalid"
            )
        if kind not in TYPES:
            raise ApiError(
                400, f"The provided value for the permission type is invalid: {kind}", "invalid"
            )
        email = body.get("emailAddress")
        if kind in ("user", "group") and not email:
            raise ApiError(
                400, "The permission emailAddress field is required for user and group.", "required"
            )
        existing = next(
            (
                p
                for p in self.permissions.get(file_id, [])
                if email and p.get("emailAddress") == email
            ),
            None,
        )
        if existing is not None:
            existing["role"] = role  # sharing again with someone only changes their role
            permission = existing
        else:
            permission = {
                "kind": "drive#permission",
                "id": f"perm{next(self._ids):05d}",
                "type": kind,
                "role": role,
            }
            if email:
                permission["emailAddress"] = email
            if kind == "domain" and body.get("domain"):
                permission["domain"] = body["domain"]
            self.permissions.setdefault(file_id, []).append(permission)
        if kind in ("user", "group") and params.get("sendNotificationEmail", True):
            self.notifications.append(
                {
                    "fileId": file_id,
                    "emailAddress": email,
                    "role": role,
                    "emailMessage": params.get("emailMessage", ""),
                }
            )
        return _select_object(
            copy.deepcopy(permission), params.get("fields") or _DEFAULT_PERMISSION_FIELDS
        )

    def about(self, params: JSON) -> JSON:
        """about.get: who is signed in. Google requires `fields` here (drive.v3.json:
        "Required: The `fields` parameter must be set")."""
        fields = params.get("fields")
        if not fields:
            raise ApiError(400, "The 'fields' parameter is required for this method.", "required")
        about = {
            "kind": "drive#about",
            "user": {
                "kind": "drive#user",
                "displayName": "You",
                "emailAddress": OWNER_EMAIL,
                "me": True,
            },
        }
        return _select_object(about, fields)

    def list_permissions(self, file_id: str, params: JSON) -> JSON:
        self._title(file_id)
        fields = params.get("fields") or f"kind,permissions({_DEFAULT_PERMISSION_FIELDS})"
        listed = {
            "kind": "drive#permissionList",
            "permissions": copy.deepcopy(self._all_permissions(file_id)),
        }
        return _select_object(listed, fields)

    def reset(self) -> None:
        self.permissions.clear()
        self.notifications.clear()
        self.trashed.clear()
        self._ids = itertools.count(1)

    def to_state(self) -> JSON:
        return {
            "permissions": copy.deepcopy(self.permissions),
            "notifications": copy.deepcopy(self.notifications),
            "trashed": sorted(self.trashed),
        }

    def from_state(self, state: JSON) -> None:
        self.permissions = copy.deepcopy(state.get("permissions", {}))
        self.notifications = copy.deepcopy(state.get("notifications", []))
        self.trashed = set(state.get("trashed", []))
        used = [
            int(p["id"][4:])
            for ps in self.permissions.values()
            for p in ps
            if p["id"].startswith("perm")
        ]
        self._ids = itertools.count(max(used, default=0) + 1)
