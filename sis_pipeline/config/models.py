"""Typed models of the schools file; docs/schools-file.md is generated from them.

Every model forbids unknown keys so that a typo in the file is refused instead of ignored.
The loader in `schools_file.py` turns validation errors into one line per mistake.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

# Use with fullmatch: `$` would also accept a key ending in a newline.
SCHOOL_KEY = re.compile(r"[a-z0-9_]{1,64}")
ORG_ID = r"^[A-Za-z0-9._-]{1,64}$"
ENV_NAME = r"^[A-Za-z_][A-Za-z0-9_]*$"

MemberType = Literal["student", "teacher", "parent"]
OptionalField = Literal["date_of_birth", "gender", "email"]
Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
EnvName = Annotated[str, StringConstraints(pattern=ENV_NAME)]
Prefix = Annotated[str, StringConstraints(pattern=r"^[A-Za-z._-]{1,16}$")]
Email = Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+$")]


class Strict(BaseModel):
    # Each field's docstring is its description in docs/schools-file.md (config/reference.py).
    model_config = ConfigDict(
        extra="forbid", strict=True, frozen=True, use_attribute_docstrings=True
    )


class PlatformSettings(Strict):
    url: str
    """Base URL of the platform API; `https://` (`http://` only to loopback)."""
    token_env: EnvName
    """Name of the environment variable that holds the platform's bearer token."""


class PowerSchoolSettings(Strict):
    url: str
    """Base URL of the school's PowerSchool server; `https://` (`http://` only to loopback)."""
    client_id_env: EnvName
    """Name of the environment variable that holds the plugin's OAuth client ID."""
    client_secret_env: EnvName
    """Name of the environment variable that holds the plugin's OAuth client secret."""
    # An empty list would select no student at all: leave the key out to mean "all".
    school_numbers: Annotated[list[int], Field(min_length=1)] | None = None
    """Only students and staff of these PowerSchool school numbers; left out: all schools."""
    max_concurrent_requests: Annotated[int, Field(ge=1, le=32)] = 4
    """Most requests the sync has open at once on this PowerSchool (1 to 32, default 4)."""

    @field_validator("school_numbers")
    @classmethod
    def _distinct_numbers(cls, numbers: list[int] | None) -> list[int] | None:
        # Each number is its own query: one listed twice reads its rows twice.
        twice = sorted({n for n in numbers or [] if numbers.count(n) > 1})
        if twice:
            raise ValueError(f"listed twice: {', '.join(map(str, twice))}")
        return numbers


class GradeRange(Strict):
    from_: int = Field(alias="from", ge=-2, le=99)
    """Lowest PowerSchool `grade_level` synced (inclusive, -2 to 99)."""
    to: int = Field(ge=-2, le=99)
    """Highest PowerSchool `grade_level` synced (inclusive, -2 to 99)."""

    @model_validator(mode="after")
    def _ordered(self) -> GradeRange:
        if self.from_ > self.to:
            raise ValueError("'from' is greater than 'to'")
        return self


class IdPrefixes(Strict):
    student: Prefix = "S"
    """Host ID prefix of students (letters, `.`, `_`, `-`; no digits)."""
    teacher: Prefix = "T"
    """Host ID prefix of teachers."""
    parent: Prefix = "P"
    """Host ID prefix of parents."""


class MaxDeactivations(Strict):
    fraction: float = Field(default=0.10, ge=0, le=1)
    """Share of the org's active managed users a run may deactivate (0 to 1)."""
    minimum: int = Field(default=5, ge=0)
    """A run may always deactivate this many, whatever the fraction allows."""


class SafetySettings(Strict):
    max_deactivations: MaxDeactivations = MaxDeactivations()
    """Bound on every mass change: `max(fraction * active managed users, minimum)`."""


class ScheduleSettings(Strict):
    weekday: Weekday = "monday"
    """Day of the weekly sync."""
    time: Annotated[str, StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")] = "06:00"
    """Time of day of the weekly sync, `HH:MM` (24 hours)."""
    timezone: str = "UTC"
    """IANA time zone of `weekday` and `time`, e.g. `America/New_York`."""

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {value!r}") from error
        return value


class Pause(Strict):
    """A window without scheduled syncs (summer, the school's own request)."""

    # YAML reads an unquoted 2027-06-20 as a date; a quoted one is accepted as well.
    from_: date = Field(alias="from", strict=False)
    """First day without a scheduled sync (inclusive), `YYYY-MM-DD`."""
    to: date = Field(strict=False)
    """Last day without a scheduled sync (inclusive), `YYYY-MM-DD`."""
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    """Why the school is paused; the skipped schedule tick shows it."""

    @model_validator(mode="after")
    def _ordered(self) -> Pause:
        if self.from_ > self.to:
            raise ValueError(f"'from' ({self.from_}) is after 'to' ({self.to})")
        return self

    def covers(self, day: date) -> bool:
        return self.from_ <= day <= self.to


class ReconciliationSettings(Strict):
    auto_apply_top_tier: bool = False
    """Apply unambiguous top-tier reconciliation proposals without review."""


class SchoolSettings(Strict):
    """One school's settings after `defaults` were merged in."""

    name: str
    """The school's name, for people to read (plugin description, reports)."""
    org_id: Annotated[str, StringConstraints(pattern=ORG_ID)]
    """The school's org on the platform; each school needs its own."""
    powerschool: PowerSchoolSettings
    """Where and how to read the school's PowerSchool."""
    member_types: Annotated[list[MemberType], Field(min_length=1)] = [
        "student",
        "teacher",
        "parent",
    ]
    """Which kinds of people are synced."""
    student_id_field: Literal["student_number", "dcid"] = "student_number"
    """PowerSchool column behind a student's host ID: `student_number` or `dcid`."""
    id_prefixes: IdPrefixes = IdPrefixes()
    """Prefix of each member type's host ID (host ID = prefix + PowerSchool ID)."""
    grades: GradeRange | None = None
    """Only students in this grade range; left out: every grade."""
    optional_fields: list[OptionalField] = []
    """Personal fields synced besides names and grades: `date_of_birth`, `gender`, `email`."""
    test_run: bool = False
    """`true`: every run computes and reports the changeset and applies nothing."""
    safety: SafetySettings = SafetySettings()
    """Limits past which mass changes are held (docs/runbook.md says what to do then)."""
    # `off` (which YAML reads as false) means no scheduled sync at all.
    schedule: ScheduleSettings | None = ScheduleSettings()
    """Slot of the weekly scheduled sync, or `off` for none."""
    pauses: list[Pause] = []
    """Windows without scheduled syncs, `{from, to, reason}` with inclusive dates."""
    notify: list[Email] = []
    """E-mail addresses that receive this school's run summaries."""
    reconciliation: ReconciliationSettings = ReconciliationSettings()
    """Returning schools: how old platform accounts are carried to new host IDs."""

    @field_validator("schedule", mode="before")
    @classmethod
    def _schedule_off(cls, value: object) -> object:
        if value is False or value == "off":
            return None
        if value is None or isinstance(value, bool | str):
            raise ValueError("expected `off` or a mapping of weekday, time and timezone")
        return value

    @model_validator(mode="after")
    def _distinct_prefixes(self) -> SchoolSettings:
        prefixes = [self.id_prefixes.student, self.id_prefixes.teacher, self.id_prefixes.parent]
        if len(set(prefixes)) != 3:
            raise ValueError("id_prefixes must differ per member type")
        return self

    def prefix(self, member_type: str) -> str:
        return getattr(self.id_prefixes, member_type)

    def pause_on(self, day: date) -> Pause | None:
        """The first pause covering `day`, if any."""
        return next((pause for pause in self.pauses if pause.covers(day)), None)

    @property
    def syncs_email(self) -> bool:
        return "email" in self.optional_fields


class SmtpSettings(Strict):
    """The mail server run summaries go through; its credentials come from env vars."""

    host: Annotated[str, StringConstraints(min_length=1)]
    """The mail server's host name."""
    port: int = Field(default=587, ge=1, le=65535)
    """The mail server's port."""
    starttls: bool = True
    """Upgrade the connection with STARTTLS before logging in."""
    username_env: EnvName | None = None
    """Env var holding the SMTP user name; set together with `password_env`, or neither."""
    password_env: EnvName | None = None
    """Env var holding the SMTP password."""

    @model_validator(mode="after")
    def _both_or_neither(self) -> SmtpSettings:
        if (self.username_env is None) != (self.password_env is None):
            raise ValueError("username_env and password_env go together")
        return self


class NotificationSettings(Strict):
    """E-mailed run summaries: every school's go to its `notify` list and to `operators`."""

    smtp: SmtpSettings
    """The mail server summaries are sent through."""
    from_: Email = Field(alias="from")
    """The sender address of every summary."""
    operators: list[Email] = []
    """Addresses that receive every school's summaries."""
    # Only the base of the run links written into e-mails; nothing is ever sent to it.
    dagster_url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = None
    """Base URL of the Dagster UI, for the run link in each e-mail."""


class SchoolsFile(Strict):
    platform: PlatformSettings
    """The education platform every school syncs to."""
    notifications: NotificationSettings | None = None
    """E-mailed run summaries; leave out to send none."""
    defaults: dict = {}
    """Any per-school key, for every school that does not set it (mappings merge key by key)."""
    schools: dict[str, SchoolSettings]
    """One entry per school; the key (`[a-z0-9_]{1,64}`) is also the Dagster partition key."""
