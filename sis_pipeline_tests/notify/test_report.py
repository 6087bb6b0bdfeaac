"""The HTML run report: what headless Chromium shows of it, and that every value is escaped."""

from __future__ import annotations

from sis_pipeline.notify.facts import QuarantinedRow
from sis_pipeline.notify.report import render, report_path, write_report
from sis_pipeline_tests.notify.browser import rendered_dom, visible
from sis_pipeline_tests.notify.sample_facts import held_sync

HOSTILE = "<script>document.body.innerHTML='owned'</script><img src=x onerror=alert(1)>"


def test_the_report_shows_every_section_and_runs_nothing_it_was_given(tmp_path):
    facts = held_sync(
        quarantined=[QuarantinedRow(HOSTILE, "student", 'missing:"last_name" & more')],
        failure="roster: a </td></tr></table> broke",
    )
    path = write_report(report_path(tmp_path, "riverdale", facts.run_id), render(facts))
    assert path == tmp_path / "reports" / "riverdale" / "run-run-0001.html"
    assert path.stat().st_mode & 0o077 == 0

    text, rows, tags = visible(rendered_dom(path))
    assert "owned" not in text.replace(HOSTILE, "")  # the script did not run
    assert "script" not in tags and "img" not in tags
    assert [HOSTILE, "student", 'missing:"last_name" & more'] in rows
    assert "Why the run failed: roster: a </td></tr></table> broke" in text
    assert "The run in Dagster" in text
    assert ["outcome", "held"] in rows and ["run", "run-0001"] in rows
    assert ["created", "3"] in rows and ["held", "30"] in rows
    assert ["deactivate", "student", "0", "30", "0"] in rows
    assert "30 deactivations exceed the limit of 5" in text
    assert ["S1029", "student", "deactivate", "mass_deactivation"] in rows
    assert ["T3001", "update", "invalid_field"] in rows
    assert ["students", "92"] in rows and ["users", "21"] in rows
    assert ["powerschool_tables", "success", "2.4"] in rows
    assert ["roster", "success", "0.5"] in rows
