"""`POST /oauth/access_token[/]`: the client-credentials grant PowerSchool plugins use.

Credentials come only in an HTTP Basic header and the grant only in a form body, as every
client in the sources sends them. A plugin without `<oauth/>` has no credentials at all,
so every token request then fails as bad credentials.
"""

from __future__ import annotations

import base64
import binascii
import hmac
from email.message import Message
from urllib.parse import parse_qs

from .state import Reply, SimulatorState

_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def token_reply(state: SimulatorState, headers: Message, body: bytes) -> Reply:
    outage = state.faults.token_error_status
    if outage:
        return Reply(outage, {"error": "server_error", "message": "Token service unavailable"})
    if not _credentials_ok(state, headers.get("Authorization", "")):
        return Reply(
            401, {"error": "invalid_client"}, {"WWW-Authenticate": 'Basic realm="PowerSchool"'}
        )
    content_type = headers.get("Content-Type", "").lower()
    if not content_type.startswith("application/x-www-form-urlencoded"):
        return Reply(400, {"error": "invalid_request", "error_description": "form body expected"})
    form = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
    grant = form.get("grant_type", [None])[0]
    if grant is None:
        return Reply(400, {"error": "invalid_request", "error_description": "grant_type missing"})
    if grant != "client_credentials":
        return Reply(400, {"error": "unsupported_grant_type"})
    token, remaining = state.tokens.issue()
    token = state.faults.access_token or token
    # expires_in is a JSON string on PowerSchool, not a number.
    body_out = {"access_token": token, "token_type": "Bearer", "expires_in": str(remaining)}
    return Reply(200, body_out, dict(_NO_STORE))


def _credentials_ok(state: SimulatorState, authorization: str) -> bool:
    if not state.grants.has_oauth:
        return False
    scheme, _, encoded = authorization.partition(" ")
    if scheme.lower() != "basic":
        return False
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return False
    client_id, colon, secret = decoded.partition(":")
    return bool(colon) and (
        hmac.compare_digest(client_id.encode(), state.client_id.encode())
        & hmac.compare_digest(secret.encode(), state.client_secret.encode())
    )
