"""Typed models of the schools file (interface.md, "The schools file").

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
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class PlatformSettings(Strict):
    url: str
    token_env: EnvName


class PowerSchoolSettings(Strict):
    url: str
    client_id_env: EnvName
    client_secret_env: EnvName
    # An empty list would select no student at all: leave the key out to mean "all".
    school_numbers: Annotated[list[int], Field(min_length=1)] | None = None

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
    to: int = Field(ge=-2, le=99)

    @model_validator(mode="after")
    def _ordered(self) -> GradeRange:
        if self.from_ > self.to:
            raise ValueError("'from' is greater than 'to'")
        return self


class IdPrefixes(Strict):
    student: Prefix = "S"
    teacher: Prefix = "T"
    parent: Prefix = "P"


class MaxDeactivations(Strict):
    fraction: float = Field(default=0.10, ge=0, le=1)
    minimum: int = Field(default=5, ge=0)


class SafetySettings(Strict):
    max_deactivations: MaxDeactivations = MaxDeactivations()


class ScheduleSettings(Strict):
    weekday: Weekday = "monday"
    time: Annotated[str, StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")] = "06:00"
    timezone: str = "UTC"

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


class SchoolSettings(Strict):
    """One school's settings after `defaults` were merged in."""

    name: str
    org_id: Annotated[str, StringConstraints(pattern=ORG_ID)]
    powerschool: PowerSchoolSettings
    member_types: Annotated[list[MemberType], Field(min_length=1)] = [
        "student",
        "teacher",
        "parent",
    ]
    student_id_field: Literal["student_number", "dcid"] = "student_number"
    id_prefixes: IdPrefixes = IdPrefixes()
    grades: GradeRange | None = None
    optional_fields: list[OptionalField] = []
    test_run: bool = False
    safety: SafetySettings = SafetySettings()
    # `off` (which YAML reads as false) means no scheduled sync at all.
    schedule: ScheduleSettings | None = ScheduleSettings()
    pauses: list[Pause] = []
    """Windows without scheduled syncs, `{from, to, reason}` with inclusive dates."""
    notify: list[Email] = []
    reconciliation: ReconciliationSettings = ReconciliationSettings()

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
    port: int = Field(default=587, ge=1, le=65535)
    starttls: bool = True
    username_env: EnvName | None = None
    password_env: EnvName | None = None

    @model_validator(mode="after")
    def _both_or_neither(self) -> SmtpSettings:
        if (self.username_env is None) != (self.password_env is None):
            raise ValueError("username_env and password_env go together")
        return self


class NotificationSettings(Strict):
    """E-mailed run summaries: every school's go to its `notify` list and to `operators`."""

    smtp: SmtpSettings
    from_: Email = Field(alias="from")
    operators: list[Email] = []
    # Only the base of the run links written into e-mails; nothing is ever sent to it.
    dagster_url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = None


class SchoolsFile(Strict):
    platform: PlatformSettings
    notifications: NotificationSettings | None = None
    defaults: dict = {}
    schools: dict[str, SchoolSettings]
