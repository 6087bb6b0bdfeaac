"""Which mass changes a run holds: each rule at its limit and one past it."""

from __future__ import annotations

from sis_pipeline.transform import Hold, MassChanges, decide_holds

ALL_TYPES = frozenset({"student", "teacher", "parent"})
EMPTY_EMAILS = {"emailaddress": "table emailaddress came back empty"}


def changes(creates=None, deactivations=None, blanks=None, managed=ALL_TYPES) -> MassChanges:
    return MassChanges(creates or {}, deactivations or {}, blanks or {}, frozenset(managed))


def rules(decision) -> list[tuple]:
    return [(h.hold_reason, h.action, h.member_type, h.count) for h in decision.holds]


def test_deactivations_at_the_limit_apply_one_past_it_are_held():
    assert not decide_holds(changes(deactivations={"student": 3, "parent": 2}), 5, {}).held
    decision = decide_holds(changes(deactivations={"student": 4, "parent": 2}), 5, {})
    assert rules(decision) == [("mass_deactivation", "deactivate", None, 6)]
    assert decision.reasons[0].startswith("6 deactivations exceed the limit of 5: ")


def test_health_holds_deactivations_within_the_limit_and_lasts():
    unhealthy = {"users": "table users shrank from 100 to 80 rows, more than 10% ..."}
    decision = decide_holds(changes(deactivations={"teacher": 1}), 5, unhealthy)
    assert rules(decision) == [("source_health", "deactivate", None, 1)]
    assert "table users shrank" in decision.reasons[0]
    assert decision.health_hold
    # Nothing to deactivate: nothing held, but the run is still no baseline.
    quiet = decide_holds(changes(), 5, unhealthy)
    assert not quiet.held and quiet.health_hold


def test_creates_of_a_member_type_already_held_on_the_platform():
    at_limit = decide_holds(changes(creates={"student": 5}), 5, {})
    assert not at_limit.held
    past = decide_holds(changes(creates={"student": 6, "teacher": 6}), 5, {})
    assert rules(past) == [
        ("mass_create", "create", "student", 6),
        ("mass_create", "create", "teacher", 6),
    ]
    assert "more new students than usual" in past.reasons[0]


def test_a_first_sync_of_a_member_type_is_not_held():
    first = decide_holds(changes(creates={"student": 500, "parent": 9}, managed={"parent"}), 5, {})
    assert rules(first) == [("mass_create", "create", "parent", 9)]


def test_blanks_are_counted_per_field():
    at_limit = decide_holds(changes(blanks={"email": 5, "gender": 5}), 5, {})
    assert not at_limit.held
    past = decide_holds(changes(blanks={"email": 6, "gender": 5, "date_of_birth": 9}), 5, {})
    assert rules(past) == [
        ("mass_blank:date_of_birth", "update", None, 9),
        ("mass_blank:email", "update", None, 6),
    ]
    assert past.holds[1].field == "email"
    assert past.reasons[1] == (
        "6 updates blanking e-mail exceed the limit of 5: "
        "PowerSchool sent no e-mail for them: check the plugin's field grants"
    )


def test_blanked_emails_blame_the_empty_email_tables():
    decision = decide_holds(changes(blanks={"email": 40}), 5, EMPTY_EMAILS)
    assert decision.reasons == [
        "40 updates blanking e-mail exceed the limit of 5: the e-mail tables came back empty"
    ]


def test_mass_creates_with_mass_deactivations_of_the_type_look_re_keyed():
    decision = decide_holds(changes(creates={"student": 80}, deactivations={"student": 80}), 5, {})
    assert [h.rule for h in decision.holds] == ["mass_create", "mass_deactivation"]
    assert all("host IDs look re-keyed" in r and "reconcile instead" in r for r in decision.reasons)
    # Deactivations of another type do not make creates look re-keyed.
    other = decide_holds(changes(creates={"student": 80}, deactivations={"parent": 80}), 5, {})
    assert not any("re-keyed" in r for r in other.reasons)


def test_allow_mass_deactivation_releases_deactivation_holds_only():
    everything = changes(
        creates={"student": 80}, deactivations={"student": 80}, blanks={"email": 9}
    )
    decision = decide_holds(everything, 5, EMPTY_EMAILS, allow_mass_deactivation=True)
    assert [h.action for h in decision.holds] == ["create", "update"]
    assert decision.allowed == "mass_deactivation" and not decision.health_hold


def test_allow_mass_changes_releases_every_hold():
    everything = changes(
        creates={"student": 80}, deactivations={"student": 80}, blanks={"email": 9}
    )
    decision = decide_holds(everything, 5, EMPTY_EMAILS, allow_mass_changes=True)
    assert decision.holds == [] and decision.allowed == "mass_changes"
    assert decision.health_problems == ["table emailaddress came back empty"]
    assert not decision.health_hold
    assert decision.record()["health_hold"] is False


def test_hold_reason_names_rule_and_field():
    assert (
        Hold("mass_blank", "update", 6, 5, "r", field="gender").hold_reason == "mass_blank:gender"
    )
    assert Hold("mass_create", "create", 6, 5, "r", member_type="student").hold_reason == (
        "mass_create"
    )
