"""The demo's returning school: last year's accounts on the platform, reconciled before week 1.

Some of the school's students already have accounts from last year, under their raw
PowerSchool number or a former scheme (`rdl-<number>`). The school sends a mapping for most
of them; the reconciliation renames those and proposes the rest, the school sends the
reviewed proposals back, and the first sync then creates nobody twice.
"""

from __future__ import annotations

from pathlib import Path

from sis_pipeline.cli.output import RECONCILE_KEYS, print_summary
from sis_pipeline.cli.run_reconcile import run_reconcile
from sis_pipeline.cli.sandbox_servers import Sandbox
from sis_pipeline.config.schools_file import SchoolsConfig
from sis_pipeline.resources.schools import SchoolsResource
from sis_pipeline.sandbox.district import CASE_TABLES

RETURNING = 12  # accounts from last year
FORMER_SCHEME = 2  # of which under `rdl-<number>`, the rest under the raw number
UNMAPPED = 2  # raw-number accounts the school's mapping forgets


def seed_last_year(sandbox: Sandbox, config: SchoolsConfig, key: str) -> dict[str, str]:
    """Put last year's accounts on the platform; return new host ID -> old host ID."""
    school = config.school(key)
    students = sandbox.district.tables["students"]
    planted = {
        number
        for case, numbers in sandbox.district.hard_cases.items()
        if CASE_TABLES[case] == "students"
        for number in numbers
    }
    grades = school.grades
    chosen = students[
        students["schoolid"].isin(school.powerschool.school_numbers or students["schoolid"])
        & (students["enroll_status"] == 0)
        & students["grade_level"].between(grades.from_, grades.to)
        & ~students["dcid"].isin(planted)
    ].sort_values("dcid")
    old_ids, accounts = {}, []
    for index, (_, row) in enumerate(chosen.head(RETURNING).iterrows()):
        number = int(row[school.student_id_field])
        old = f"rdl-{number}" if index < FORMER_SCHEME else str(number)
        old_ids[f"{school.prefix('student')}{number}"] = old
        accounts.append(
            {
                "host_id": old,
                "member_type": "student",
                "first_name": row["first_name"].strip(),
                "last_name": row["last_name"].strip(),
                "graduation_year": int(row["sched_yearofgraduation"]),
            }
        )
    sandbox.platform.seed_users(school.org_id, accounts)
    return old_ids


def reconcile_returning_school(
    sandbox: Sandbox, config: SchoolsConfig, schools: SchoolsResource, key: str, workdir: Path
) -> list[int]:
    """Reconcile `key` from its mapping, then from its reviewed proposals; the exit codes."""
    old_ids = seed_last_year(sandbox, config, key)
    print(f"\nReturning school {key}: {len(old_ids)} accounts from last year under old IDs.")
    mapped = list(old_ids.items())[: len(old_ids) - UNMAPPED]
    mapping = workdir / f"{key}-mapping.csv"
    rows = ["old_host_id,new_host_id", *(f"{old},{new}" for new, old in mapped)]
    mapping.write_text("\n".join(rows) + "\n", encoding="utf-8")
    print(f"  reconcile with the school's mapping ({len(mapped)} rows):")
    first = run_reconcile(config, key, mapping, schools=schools)
    codes = [_report(first)]
    proposals = first.files.get("proposals_file")
    if proposals:
        print(f"  the school reviews the proposals in {proposals} and sends them back:")
        codes.append(_report(run_reconcile(config, key, Path(proposals), schools=schools)))
    users = {user["host_id"] for user in sandbox.platform.users(config.school(key).org_id)}
    carried = sum(new in users and old not in users for new, old in old_ids.items())
    print(f"  {carried} of {len(old_ids)} accounts carried to their new IDs, history kept.")
    return codes


def _report(outcome) -> int:
    for error in outcome.errors:
        print(f"  error: {error}")
    if outcome.summary:
        print("    ", end="")
        print_summary(outcome.summary, as_json=False, keys=RECONCILE_KEYS)
    return outcome.exit_code
