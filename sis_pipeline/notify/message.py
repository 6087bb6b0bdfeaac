"""The plain-text e-mail that tells a school's contacts and the operators how a run ended.

Pure functions of `RunFacts`: counts, rules, reasons, host IDs and platform codes, never a
person's name, birth date, gender or e-mail address. Long lists stop after a few host IDs;
the run report has them all.
"""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import make_msgid

from sis_pipeline.notify.facts import RunFacts, counted
from sis_pipeline.state.outcome import RECONCILE_COUNTS, SYNC_COUNTS

MAX_IDS = 20


def subject(facts: RunFacts) -> str:
    failed = " (the run failed)" if facts.failure and facts.outcome != "failed" else ""
    return f"sis-pipeline {facts.kind} {facts.school}: {facts.outcome}{failed}"


def body(facts: RunFacts) -> str:
    lines = [
        f"School: {facts.school}",
        f"Outcome: {facts.outcome}"
        + (" (nothing was sent to the platform)" if facts.test_run else ""),
        f"Run: {facts.run_id} ({facts.job})",
    ]
    if facts.run_url:
        lines.append(f"Dagster: {facts.run_url}")
    if facts.failure:
        lines += ["", f"Why the run failed: {facts.failure}"]
    if facts.reconcile_counts is not None:
        lines += ["", "Reconciliation: " + _counts(facts.reconcile_counts, RECONCILE_COUNTS)]
    if facts.sync_counts is not None:
        label = "Would apply" if facts.test_run else "Counts"
        lines += ["", f"{label}: " + _counts(facts.sync_counts, SYNC_COUNTS)]
    if facts.by_action:
        lines += ["", "By action and member type (users, held, failed):"]
        lines += [
            f"  {row.action:<11} {row.member_type:<8} {row.users:>6} {row.held:>6} {row.failed:>6}"
            for row in facts.by_action
        ]
    if facts.held or facts.hold_reasons:
        lines += ["", f"Held changes: {len(facts.held)}"]
        lines += [f"  rule: {reason}" for reason in facts.hold_reasons]
        for rule, n in counted([change.rule for change in facts.held]):
            ids = [change.host_id for change in facts.held if change.rule == rule]
            lines.append(f"  {rule}: {n} ({_ids(ids)})")
    if facts.quarantined:
        lines += ["", f"Quarantined rows: {len(facts.quarantined)}"]
        for reason, n in counted([row.reason for row in facts.quarantined]):
            ids = [row.person for row in facts.quarantined if row.reason == reason]
            lines.append(f"  {reason}: {n} ({_ids(ids)})")
    if facts.failed_operations:
        lines += ["", f"Failed operations: {len(facts.failed_operations)}"]
        lines += [
            f"  {op.host_id} {op.action}: {op.code}" for op in facts.failed_operations[:MAX_IDS]
        ]
        if len(facts.failed_operations) > MAX_IDS:
            lines.append(f"  ... and {len(facts.failed_operations) - MAX_IDS} more")
    if facts.rejected_rows:
        lines += ["", f"Rejected mapping rows: {len(facts.rejected_rows)}"]
        for reason, n in counted([row.reason for row in facts.rejected_rows]):
            lines.append(f"  {reason}: {n}")
    if facts.report_path:
        lines += ["", f"Run report: {facts.report_path}"]
    lines += [
        f"{name.replace('_', ' ').capitalize()}: {path}" for name, path in facts.files.items()
    ]
    return "\n".join(lines) + "\n"


def compose(facts: RunFacts, sender: str, recipients: list[str]) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = subject(facts)
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message.set_content(body(facts))
    return message


def recipients(school_notify: list[str], operators: list[str]) -> list[str]:
    """The school's contacts then the operators, each address once."""
    return list(dict.fromkeys([*school_notify, *operators]))


def _counts(counts: dict[str, int], names: tuple[str, ...]) -> str:
    return ", ".join(f"{name} {counts.get(name, 0)}" for name in names)


def _ids(ids: list[str]) -> str:
    shown = ", ".join(ids[:MAX_IDS])
    return shown + (f", ... {len(ids) - MAX_IDS} more" if len(ids) > MAX_IDS else "")
