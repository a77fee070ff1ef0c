"""The sandbox's OAuth 2.0 token endpoint: refresh tokens it minted, and revocation.

Enough of Google's `https://oauth2.googleapis.com/token` and `/revoke` for
google.oauth2.credentials.Credentials.refresh() to work against it, and to fail the way
Google fails when a refresh token has died (an app left in "Testing" mode: tokens expire
after 7 days): HTTP 400 `{"error": "invalid_grant", "error_description": "Token has been
expired or revoked."}`, which google-auth raises as RefreshError.

Not here: the browser consent flow (the sandbox never runs one; tests mint refresh tokens
through the admin API), and checking access tokens on API calls (the Google API routes are
reached with anonymous credentials).
"""

from __future__ import annotations

import copy
import secrets
from typing import Any

JSON = dict[str, Any]
DEFAULT_SCOPES = (
    "https://www.googleapis.com/auth/documents "
    "https://www.googleapis.com/auth/calendar.events "
    "https://www.googleapis.com/auth/drive.file"
)
ACCESS_TOKEN_SECONDS = 3599


class OAuthError(Exception):
    """An OAuth error answer: HTTP status and Google's {"error", "error_description"}."""

    def __init__(self, status: int, error: str, description: str) -> None:
        super().__init__(f"{status} {error}: {description}")
        self.status = status
        self.error = error
        self.description = description

    def body(self) -> JSON:
        return {"error": self.error, "error_description": self.description}


class OAuthStore:
    """Refresh tokens (minted for tests) and the access tokens handed out for them."""

    def __init__(self) -> None:
        self.refresh_tokens: dict[str, JSON] = {}  # token -> {"scope", "revoked"}
        self.access_tokens: dict[str, str] = {}  # access token -> its refresh token

    def mint(self, scope: str = DEFAULT_SCOPES) -> str:
        """A new refresh token the token endpoint will honour."""
        token = "1//sandbox-" + secrets.token_urlsafe(24)
        self.refresh_tokens[token] = {"scope": scope, "revoked": False}
        return token

    def revoke(self, token: str) -> None:
        """Revoke a refresh token (and its access tokens) or one access token."""
        if token in self.refresh_tokens:
            self.refresh_tokens[token]["revoked"] = True
            for access, refresh in list(self.access_tokens.items()):
                if refresh == token:
                    del self.access_tokens[access]
            return
        if token in self.access_tokens:
            del self.access_tokens[token]
            return
        # Google's /revoke answer for a token it does not know.
        raise OAuthError(400, "invalid_token", "Token expired or revoked")

    def token(self, form: dict[str, str]) -> JSON:
        """The token endpoint: grant_type=refresh_token -> a fresh access token."""
        grant = form.get("grant_type")
        if grant != "refresh_token":
            raise OAuthError(400, "unsupported_grant_type", f"Invalid grant_type: {grant or ''}")
        if not form.get("client_id"):
            raise OAuthError(401, "invalid_client", "The OAuth client was not found.")
        refresh = form.get("refresh_token", "")
        record = self.refresh_tokens.get(refresh)
        if record is None or record["revoked"]:
            raise OAuthError(400, "invalid_grant", "Token has been expired or revoked.")
        access = "ya29.sandbox-" + secrets.token_urlsafe(24)
        self.access_tokens[access] = refresh
        # A narrower `scope` may be asked for on refresh; the answer names what was granted.
        scope = form.get("scope") or record["scope"]
        return {
            "access_token": access,
            "expires_in": ACCESS_TOKEN_SECONDS,
            "scope": scope,
            "token_type": "Bearer",
        }

    def reset(self) -> None:
        self.refresh_tokens.clear()
        self.access_tokens.clear()

    def to_state(self) -> JSON:
        return {"refresh_tokens": copy.deepcopy(self.refresh_tokens)}

    def from_state(self, state: JSON) -> None:
        self.refresh_tokens = copy.deepcopy(state.get("refresh_tokens", {}))
        self.access_tokens = {}
