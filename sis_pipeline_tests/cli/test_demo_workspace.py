"""The demo's files are one workspace: `demo`, `sandbox` and `ui` serve the same district,
platform state and schools file, so the UI continues the demo's history."""

from __future__ import annotations

from datetime import date
from email.message import EmailMessage

import pytest

from sis_pipeline.cli.demo_workspace import DemoWorkspace, DistrictRecipe, demo_sandbox
from sis_pipeline.notify.smtp import send
from sis_pipeline.sandbox.district import generate_district, next_week

OLD_ACCOUNT = {"host_id": "T424242", "member_type": "teacher", "first_name": "A", "last_name": "B"}


def test_a_second_sandbox_serves_the_demo_district_and_platform_as_left(tmp_path):
    workspace = DemoWorkspace(tmp_path / "demo")
    workspace.root.mkdir()
    recipe = DistrictRecipe(people=200, seed=3, today="2026-11-30", week=2)
    workspace.save_recipe(recipe)

    with demo_sandbox(workspace) as (sandbox, config):
        sandbox.platform.seed_users("riverdale-high", [OLD_ACCOUNT])
        first_urls = (sandbox.powerschool.url, sandbox.platform.url)

    with demo_sandbox(workspace) as (sandbox, config):
        assert [u["host_id"] for u in sandbox.platform.users("riverdale-high")] == ["T424242"]
        week_two = next_week(generate_district(200, seed=3, today=date(2026, 11, 30)), seed=1)
        assert sandbox.district.today == week_two.today == date(2026, 12, 7)
        for name, table in week_two.tables.items():
            assert sandbox.district.tables[name].equals(table), name
        # The workspace's schools file points at this sandbox, and nothing is scheduled.
        assert config.platform.url == sandbox.platform.url != first_urls[1]
        assert {s.powerschool.url for s in config.schools.values()} == {sandbox.powerschool.url}
        assert all(school.schedule is None for school in config.schools.values())
    assert workspace.recipe() == recipe
    assert workspace.environment() == {
        "SIS_PIPELINE_CONFIG": str((tmp_path / "demo" / "schools.yaml").resolve()),
        "SIS_PIPELINE_DATA_DIR": str((tmp_path / "demo").resolve()),
    }


def test_without_a_demo_the_sandbox_starts_from_the_fresh_recipe(tmp_path):
    workspace = DemoWorkspace(tmp_path / "demo")
    fresh = DistrictRecipe(people=120, seed=5)
    assert workspace.recipe(fresh) == fresh
    with demo_sandbox(workspace, fresh=fresh) as (sandbox, _):
        assert sandbox.platform.users("riverdale-high") == []
        assert len(sandbox.district.tables["students"]) == len(
            generate_district(120, seed=5, today=sandbox.district.today).tables["students"]
        )


def test_the_demo_mails_its_run_summaries_to_a_loopback_sink_kept_as_files(tmp_path):
    workspace = DemoWorkspace(tmp_path / "demo")
    with demo_sandbox(workspace, fresh=DistrictRecipe(people=120, seed=5)) as (_, config):
        settings = config.notifications
        assert settings is not None and settings.smtp.host == "127.0.0.1"
        assert {tuple(s.notify) for s in config.schools.values()} == {
            ("it@riverdale.example.org",),
            ("it@hillcrest.example.org",),
        }
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = (
            settings.from_,
            "it@riverdale.example.org",
            "riverdale: applied",
        )
        message.set_content("created 3")
        assert send(message, settings.smtp, pytest.fail, attempts=1)
    kept = sorted(workspace.mail_folder.glob("*.eml"))
    assert [path.name for path in kept] == ["0001.eml"]
    assert b"Subject: riverdale: applied" in kept[0].read_bytes()
    assert kept[0].stat().st_mode & 0o777 == 0o600
