"""The user object's field rules from the API document, checked the way the platform checks them.

`check_user` raises `FieldError` naming the first field that breaks a rule. Messages name
the field and the rule, never the value sent: values may be personal data.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

ID_PATTERN = re.compile(r"[A-Za-z0-9._-]{1,64}")
DATE_PATTERN = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
MEMBER_TYPES = ("student", "teacher", "parent")
STATUSES = ("active", "inactive")
WRITABLE_FIELDS = (
    "host_id",
    "member_type",
    "first_name",
    "last_name",
    "email",
    "graduation_year",
    "date_of_birth",
    "gender",
    "grade_level",
)
SERVER_FIELDS = ("status", "updated_at")


class OperationError(Exception):
    """One operation of a batch failed; the batch goes on with the next one."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class FieldError(OperationError, ValueError):
    """A field breaks a rule; also a ValueError for callers outside a batch (seeding)."""

    def __init__(self, field: str, rule: str) -> None:
        super().__init__("invalid_field", f"{field}: {rule}")
        self.field = field


def is_valid_id(value: Any) -> bool:
    return isinstance(value, str) and ID_PATTERN.fullmatch(value) is not None


def check_id(field: str, value: Any) -> str:
    if not is_valid_id(value):
        raise FieldError(field, "must be 1-64 characters of A-Z a-z 0-9 . _ -")
    return value


def check_user(user: Mapping[str, Any]) -> None:
    for name in user:
        if name in SERVER_FIELDS:
            raise FieldError(name, "is set by the platform and may not be sent")
        if name not in WRITABLE_FIELDS:
            raise FieldError(_shorten(name), "is not a field of the user object")
    check_id("host_id", user.get("host_id"))
    member_type = user.get("member_type")
    if member_type not in MEMBER_TYPES:
        raise FieldError("member_type", "must be student, teacher or parent")
    for name in ("first_name", "last_name"):
        value = user.get(name)
        if not isinstance(value, str) or not 1 <= len(value.strip()) <= 100:
            raise FieldError(name, "is required: 1-100 characters after trimming")
    email = user.get("email")
    if email is not None and (
        not isinstance(email, str) or email.count("@") != 1 or len(email) > 254
    ):
        raise FieldError("email", "must be null or have one '@' and at most 254 characters")
    _check_graduation_year(member_type, user.get("graduation_year"))
    if not _is_date_or_null(user.get("date_of_birth")):
        raise FieldError("date_of_birth", "must be null or a date YYYY-MM-DD")
    gender = user.get("gender")
    if gender is not None and (not isinstance(gender, str) or len(gender) > 16):
        raise FieldError("gender", "must be null or a string of at most 16 characters")
    grade_level = user.get("grade_level")
    if grade_level is not None and not _is_int_between(grade_level, -2, 13):
        raise FieldError("grade_level", "must be null or an integer -2..13")


def _check_graduation_year(member_type: str, value: Any) -> None:
    if member_type == "student":
        if not _is_int_between(value, 1900, 2100):
            raise FieldError("graduation_year", "is required for a student: an integer 1900-2100")
    elif value is not None:
        raise FieldError("graduation_year", f"must be null for a {member_type}")


def _is_int_between(value: Any, low: int, high: int) -> bool:
    # JSON true/false arrive as Python bools, which are ints; the API does not take them.
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _is_date_or_null(value: Any) -> bool:
    if value is None:
        return True
    if not isinstance(value, str) or DATE_PATTERN.fullmatch(value) is None:
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _shorten(name: str) -> str:
    return name if len(name) <= 64 else name[:61] + "..."
