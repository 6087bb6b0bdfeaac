"""Refuse plain http:// except to loopback, where the sandbox and tests live."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit


def is_loopback(host: str | None) -> bool:
    if host in {"localhost", "localhost.localdomain"}:
        return True
    try:
        return ipaddress.ip_address(host or "").is_loopback
    except ValueError:
        return False


def url_problem(url: str) -> str | None:
    """Why this URL may not carry credentials, or None when it may."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return "not an http(s) URL"
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        return "plain http:// is only allowed to a loopback host; use https://"
    return None


def require_safe_url(url: str, key: str) -> str:
    problem = url_problem(url)
    if problem:
        raise ValueError(f"{key}: {problem}")
    return url
