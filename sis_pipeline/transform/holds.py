"""Which mass changes a run holds, and why (docs/sync-rules.md, "Safety"), as pure functions.

One limit, `max(floor(fraction * active managed users), minimum)`, bounds every kind of mass
change: deactivations (all member types together), creates of a member type the org already
has managed users of (a first sync of a type, or of the school, is not held: the caller then
passes no managed types), and updates that would blank a
field the platform has a value for (counted per field). Deactivations are also held while
the extraction looks unhealthy (a table empty, or shrunk since the baseline).

`--allow-mass-deactivation` lets the deactivation holds through; `--allow-mass-changes`
lets every hold through. Each hold names its rule and the likely cause, so an operator can
tell a broken source (the e-mail tables came back empty) from a re-keyed school (the host
IDs changed: reconcile, do not create) without opening the data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MASS_DEACTIVATION = "mass_deactivation"
SOURCE_HEALTH = "source_health"
MASS_CREATE = "mass_create"
MASS_BLANK = "mass_blank"

ALLOWED_MASS_CHANGES = "mass_changes"
ALLOWED_MASS_DEACTIVATION = "mass_deactivation"

# The PowerSchool tables a synced field comes from, to name a likely cause.
FIELD_SOURCES: dict[str, tuple[str, ...]] = {
    "email": ("emailaddress", "personemailaddressassoc", "users"),
    "date_of_birth": ("students",),
    "gender": ("students",),
    "grade_level": ("students",),
    "graduation_year": ("students",),
}
FIELD_LABELS = {"email": "e-mail", "date_of_birth": "birth date"}


@dataclass(frozen=True)
class MassChanges:
    """What a changeset would do in bulk, counted before any mass-change hold."""

    creates: dict[str, int]  # member type -> creates (the duplicate guard's not included)
    deactivations: dict[str, int]  # member type -> deactivations
    blanks: dict[str, int]  # field -> updates that would set it to null on the platform
    managed_types: frozenset[str]  # member types the org has managed users of, any status


@dataclass(frozen=True)
class Hold:
    """One held group of operations: `action` rows, of `member_type` or blanking `field`."""

    rule: str
    action: str
    count: int
    limit: int
    reason: str  # one line: what is held, the rule, the likely cause
    member_type: str | None = None  # None: every member type
    field: str | None = None

    @property
    def hold_reason(self) -> str:
        """The `hold_reason` of its rows in `sync.changeset`."""
        return f"{self.rule}:{self.field}" if self.field else self.rule


@dataclass(frozen=True)
class HoldDecision:
    holds: list[Hold] = field(default_factory=list)
    # Problems the extraction showed; while not let through, this run is no baseline.
    health_problems: list[str] = field(default_factory=list)
    allowed: str | None = None  # which flag let the run through, if one did
    limit: int = 0

    @property
    def held(self) -> bool:
        return bool(self.holds)

    @property
    def reasons(self) -> list[str]:
        return [hold.reason for hold in self.holds]

    @property
    def health_hold(self) -> bool:
        """The extraction looked unhealthy and nobody let it through."""
        releases = (ALLOWED_MASS_CHANGES, ALLOWED_MASS_DEACTIVATION)
        return bool(self.health_problems) and self.allowed not in releases

    def record(self) -> dict:
        """What `sync.runs.hold_decision` keeps of it."""
        return {
            "holds": [
                {"rule": h.hold_reason, "action": h.action, "count": h.count, "reason": h.reason}
                for h in self.holds
            ],
            "limit": self.limit,
            "health_problems": self.health_problems,
            "health_hold": self.health_hold,
            "allowed": self.allowed,
        }


def decide_holds(
    changes: MassChanges,
    limit: int,
    unhealthy: dict[str, str],
    *,
    allow_mass_deactivation: bool = False,
    allow_mass_changes: bool = False,
) -> HoldDecision:
    """The holds of one run. `unhealthy`: table -> problem, from `unhealthy_tables`."""
    allowed = (
        ALLOWED_MASS_CHANGES
        if allow_mass_changes
        else ALLOWED_MASS_DEACTIVATION
        if allow_mass_deactivation
        else None
    )
    health = [unhealthy[table] for table in sorted(unhealthy)]
    if allow_mass_changes:
        return HoldDecision(health_problems=health, allowed=allowed, limit=limit)
    rekeyed = {
        member_type
        for member_type, n in changes.creates.items()
        if n > limit
        and member_type in changes.managed_types
        and changes.deactivations.get(member_type, 0) > limit
    }
    holds = [
        Hold(
            MASS_CREATE,
            "create",
            n,
            limit,
            _create_reason(member_type, n, limit, rekeyed),
            member_type,
        )
        for member_type, n in sorted(changes.creates.items())
        if n > limit and member_type in changes.managed_types
    ]
    holds += [
        Hold(MASS_BLANK, "update", n, limit, _blank_reason(name, n, limit, unhealthy), field=name)
        for name, n in sorted(changes.blanks.items())
        if n > limit
    ]
    deactivations = sum(changes.deactivations.values())
    if deactivations and not allow_mass_deactivation and (deactivations > limit or health):
        rule = MASS_DEACTIVATION if deactivations > limit else SOURCE_HEALTH
        reason = _deactivation_reason(deactivations, limit, health, rekeyed)
        holds.append(Hold(rule, "deactivate", deactivations, limit, reason))
    return HoldDecision(holds=holds, health_problems=health, allowed=allowed, limit=limit)


REKEYED = "the host IDs look re-keyed (student_id_field or id_prefixes changed): reconcile instead"


def _create_reason(member_type: str, n: int, limit: int, rekeyed: set[str]) -> str:
    cause = (
        REKEYED
        if member_type in rekeyed
        else f"more new {member_type}s than usual: check the school numbers and grade range"
    )
    return f"{n} creates of {member_type}s exceed the limit of {limit}: {cause}"


def _blank_reason(name: str, n: int, limit: int, unhealthy: dict[str, str]) -> str:
    label = FIELD_LABELS.get(name, name.replace("_", " "))
    sick = [table for table in FIELD_SOURCES.get(name, ()) if table in unhealthy]
    if any("came back empty" in unhealthy[table] for table in sick):
        cause = f"the {label} tables came back empty"
    elif sick:
        cause = f"the {label} tables shrank"
    else:
        cause = f"PowerSchool sent no {label} for them: check the plugin's field grants"
    return f"{n} updates blanking {label} exceed the limit of {limit}: {cause}"


def _deactivation_reason(n: int, limit: int, health: list[str], rekeyed: set[str]) -> str:
    if rekeyed:
        cause = REKEYED
    elif health:
        cause = "; ".join(health)
    else:
        cause = "many users left the roster: check the school numbers, grades and enrolment"
    if n > limit:
        return f"{n} deactivations exceed the limit of {limit}: {cause}"
    return f"{n} deactivations held while the source looks unhealthy: {cause}"
