"""The run report: one self-contained HTML page per run, under <data dir>/reports/<school>/.

Everything an operator needs to see why a run ended as it did, in full where the e-mail
stops after a few host IDs: counts, holds and their rules, quarantined rows, failed
operations with the platform's code, rows extracted per table, and time per step. Every
value is HTML-escaped; the page loads nothing from anywhere (inline style, no script).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from pathlib import Path

from sis_pipeline.notify.facts import RunFacts
from sis_pipeline.state.outcome import RECONCILE_COUNTS, SYNC_COUNTS
from sis_pipeline.state.reports import reports_folder, write_owner_only_text

STYLE = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
th, td { border: 1px solid #ccc; padding: 0.2em 0.6em; text-align: left; }
td.n { text-align: right; }
.outcome { font-weight: bold; }
.failure { color: #a00; }
"""


def report_path(data_dir: Path, school: str, run_id: str) -> Path:
    """Where a run's report is written: the assets link it before it exists."""
    return reports_folder(data_dir, school) / f"run-{run_id}.html"


def write_report(path: Path, page: str) -> Path:
    return write_owner_only_text(path, page)


def render(facts: RunFacts) -> str:
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{_e(f'{facts.kind} {facts.school}: {facts.outcome}')}</title>",
        f"<style>{STYLE}</style></head><body>",
        f"<h1>{_e(facts.kind.capitalize())} of {_e(facts.school)}</h1>",
        _table(
            ["", ""],
            [
                ["school", facts.school],
                ["outcome", facts.outcome],
                ["test run", "yes" if facts.test_run else "no"],
                ["run", facts.run_id],
                ["job", facts.job],
            ],
            table_id="run",
        ),
    ]
    if facts.run_url:
        parts.append(
            f'<p><a id="dagster-run" href="{_e(facts.run_url)}">The run in Dagster</a></p>'
        )
    if facts.failure:
        parts.append(f'<p class="failure" id="failure">Why the run failed: {_e(facts.failure)}</p>')
    if facts.reconcile_counts is not None:
        parts += _section(
            "Reconciliation",
            "reconcile-counts",
            ["count", "rows"],
            _count_rows(facts.reconcile_counts, RECONCILE_COUNTS),
        )
    if facts.sync_counts is not None:
        title = "Would apply" if facts.test_run else "Counts"
        parts += _section(
            title, "counts", ["count", "users"], _count_rows(facts.sync_counts, SYNC_COUNTS)
        )
    if facts.by_action:
        parts += _section(
            "By action and member type",
            "by-action",
            ["action", "member type", "users", "held", "failed"],
            [[r.action, r.member_type, r.users, r.held, r.failed] for r in facts.by_action],
        )
    if facts.held or facts.hold_reasons:
        parts.append(f"<h2>Held changes: {len(facts.held)}</h2>")
        parts.append(
            '<ul id="hold-reasons">'
            + "".join(f"<li>{_e(reason)}</li>" for reason in facts.hold_reasons)
            + "</ul>"
        )
        parts.append(
            _table(
                ["host ID", "member type", "action", "rule"],
                [[h.host_id, h.member_type, h.action, h.rule] for h in facts.held],
                table_id="held",
            )
        )
    if facts.quarantined:
        parts += _section(
            f"Quarantined rows: {len(facts.quarantined)}",
            "quarantined",
            ["host ID or record", "member type", "reason"],
            [[q.person, q.member_type, q.reason] for q in facts.quarantined],
        )
    if facts.failed_operations:
        parts += _section(
            f"Failed operations: {len(facts.failed_operations)}",
            "failed",
            ["host ID", "action", "platform code"],
            [[f.host_id, f.action, f.code] for f in facts.failed_operations],
        )
    if facts.rejected_rows:
        parts += _section(
            f"Rejected mapping rows: {len(facts.rejected_rows)}",
            "rejected",
            ["line", "old host ID", "new host ID", "reason"],
            [[r.line or "", r.old_host_id, r.new_host_id, r.reason] for r in facts.rejected_rows],
        )
    if facts.extraction:
        parts += _section(
            "Rows extracted per table",
            "extraction",
            ["table", "rows"],
            [[table, n] for table, n in sorted(facts.extraction.items())],
        )
    if facts.timings:
        parts += _section(
            "Time per step",
            "timings",
            ["step", "status", "seconds"],
            [
                [t.step, t.status, "" if t.seconds is None else f"{t.seconds:.1f}"]
                for t in facts.timings
            ],
        )
    if facts.files:
        parts += _section(
            "Files", "files", ["file", "path"], [list(i) for i in facts.files.items()]
        )
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _count_rows(counts: dict[str, int], names: tuple[str, ...]) -> list[list]:
    return [[name, counts.get(name, 0)] for name in names]


def _section(title: str, table_id: str, header: list[str], rows: list[list]) -> list[str]:
    return [f"<h2>{_e(title)}</h2>", _table(header, rows, table_id)]


def _table(header: Sequence[str], rows: Iterable[Sequence], table_id: str) -> str:
    head = "".join(f"<th>{_e(name)}</th>" for name in header) if any(header) else ""
    lines = [f'<table id="{_e(table_id)}">'] + ([f"<tr>{head}</tr>"] if head else [])
    for row in rows:
        cells = "".join(
            f'<td class="n">{value}</td>' if isinstance(value, int) else f"<td>{_e(value)}</td>"
            for value in row
        )
        lines.append(f"<tr>{cells}</tr>")
    lines.append("</table>")
    return "\n".join(lines)


def _e(value: object) -> str:
    return escape(str(value), quote=True)
