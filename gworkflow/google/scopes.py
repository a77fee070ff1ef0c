"""The OAuth scopes gworkflow asks for, why each, and the check that a sign-in has them all.

Used by the login flow (asks for them), the token file and credentials (check them) and
the gateway (names them when a service account lacks delegation for them).
"""

from __future__ import annotations

from collections.abc import Sequence

from gworkflow.errors import LOGIN_HINT

# What each scope allows, from Google's scope lists (Docs: developers.google.com/docs/api/auth;
# Calendar/Drive: the generated client scope docs, e.g. googleapis.dev/dotnet/Google.Apis.
# Calendar.v3 and developers.google.com/drive/api/guides/about-auth):
SCOPES = [
    # "See, edit, create, and delete all your Google Docs documents". Needed because the
    # running doc may be an existing doc the user names in config.toml: drive.file alone only
    # covers files this app created or the user opened with it through a Picker, which a CLI
    # has no way to show.
    "https://www.googleapis.com/auth/documents",
    # "View and edit events on all your calendars": create and update the recurring event.
    # Narrower than .../auth/calendar (no calendar list, ACL or settings access, which we
    # never need: the calendar id comes from config).
    "https://www.googleapis.com/auth/calendar.events",
    # "See, edit, create, and delete only the specific Google Drive files you use with this
    # app": enough to create the running doc and share it (permissions.create) with the
    # participants. A non-sensitive scope, unlike .../auth/drive.
    "https://www.googleapis.com/auth/drive.file",
]


def missing_scopes(granted: Sequence[str]) -> list[str]:
    """The scopes of SCOPES that `granted` lacks, in SCOPES order."""
    return [scope for scope in SCOPES if scope not in granted]


def missing_scopes_message(granted: Sequence[str], what: str) -> str:
    """One line naming the missing scopes; `what` starts it ("the saved sign-in lacks")."""
    missing = missing_scopes(granted)
    noun = "scope" if len(missing) == 1 else "scopes"
    return (
        f"{what} the access gworkflow needs (missing {noun} {', '.join(missing)}): {LOGIN_HINT} "
        "and allow every item on Google's consent page"
    )
