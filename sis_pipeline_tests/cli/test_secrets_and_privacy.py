"""Secrets and personal data stay where they belong.

Syncs that succeed, fail per operation and fail outright run with distinctive credentials;
then every byte the product wrote (the data dir, the Dagster instances, stdout and stderr)
is searched for the PowerSchool client secret, the platform token and the access token
PowerSchool issued. Birth dates, genders and e-mails may only be in the school's DuckDB file:
no other file holds rows (dlt's loaded files are deleted). Everything under the data dir is
readable by its owner only.
"""

from __future__ import annotations

import base64
import stat

import duckdb
import httpx
import pytest

from sis_pipeline.cli.sandbox_servers import Credentials
from sis_pipeline.sandbox.platform import PlatformFaults
from sis_pipeline.sandbox.powerschool import PowerSchoolFaults
from sis_pipeline.sources.platform.client import PlatformClient
from sis_pipeline.sources.powerschool.client import PowerSchoolClient
from sis_pipeline.sources.powerschool.plugin_xml import plugin_xml
from sis_pipeline_tests.cli.cli_process import run_cli
from sis_pipeline_tests.schools_files import RIVERDALE_WITH_PERSONAL_FIELDS
from sis_pipeline_tests.sync_harness import sync_harness

CREDENTIALS = Credentials(
    client_id="ps-client-5e1d",
    client_secret="ps-secret-9c41f7e2-b0d3",
    platform_token="platform-token-7d2a6b18-e4f0",
)
GENDER = "Nonbinary-Zeta"


def access_token(harness) -> str:
    """PowerSchool hands out its live token again until it expires: the one the runs used."""
    answer = httpx.post(
        f"{harness.sandbox.powerschool.url}/oauth/access_token",
        auth=(CREDENTIALS.client_id, CREDENTIALS.client_secret),
        data={"grant_type": "client_credentials"},
        headers={"Accept": "application/json"},
    )
    return answer.json()["access_token"]


def database_cells_containing(database, values: list[str]) -> list[str]:
    """Table.column of every text cell holding one of `values` (DuckDB compresses strings,
    so a byte search of its file alone could miss them)."""
    with duckdb.connect(str(database), read_only=True) as con:
        columns = con.execute(
            "SELECT table_schema, table_name, column_name FROM information_schema.columns "
            "WHERE data_type = 'VARCHAR'"
        ).fetchall()
        return [
            f"{schema}.{table}.{column}"
            for schema, table, column in columns
            for value in values
            if con.execute(
                f'SELECT count(*) FROM "{schema}"."{table}" WHERE contains("{column}", ?)', [value]
            ).fetchall()[0][0]
        ]


def written_files(harness) -> list:
    return [path for path in harness.config_file.parent.rglob("*") if path.is_file()]


def test_no_secret_anywhere_and_personal_data_only_in_the_school_database(tmp_path):
    with sync_harness(
        tmp_path, schools=RIVERDALE_WITH_PERSONAL_FIELDS, credentials=CREDENTIALS
    ) as harness:
        students = harness.sandbox.district.tables["students"].astype(object)
        riverdale = students.index[(students["schoolid"] == 100) & (students["enroll_status"] == 0)]
        students.loc[riverdale[:5], "gender"] = GENDER
        tables = {**harness.sandbox.district.tables, "students": students}
        harness.sandbox.powerschool.set_tables(tables)

        synced = run_cli(harness, "sync", "--school", "riverdale", "--json")
        assert synced.returncode == 0, synced.stderr
        # Compressed files would hide values from the search below: none may hold rows.
        row_files = [p for p in harness.schools.root.rglob("*") if p.suffix in {".parquet", ".gz"}]
        assert row_files == []
        token = access_token(harness)

        # Some operations refused: messages travel to the log, the error CSV and stderr.
        students_synced = [h for h, u in harness.users().items() if u["member_type"] == "student"]
        harness.sandbox.platform.faults = PlatformFaults(
            refuse_host_ids=dict.fromkeys(students_synced[:3], "invalid_field")
        )
        harness.sandbox.powerschool.set_tables(
            {**tables, "students": students.assign(first_name="Renamed")}
        )
        refused = harness.sync()
        assert refused.exit_code == 1 and refused.summary["failed"] == 3

        # A run that fails outright: PowerSchool denies a field; these lines go to stderr.
        document = plugin_xml("riverdale", harness.config.school("riverdale"))
        harness.sandbox.powerschool.set_plugin_xml(
            document.replace('<field table="STUDENTS" field="DOB" access="ViewOnly" />', "")
        )
        failed = harness.sync()
        assert failed.exit_code == 1 and any("DOB" in error for error in failed.errors)
        assert access_token(harness) == token  # the same token served all three runs

        secrets = {
            "client secret": CREDENTIALS.client_secret,
            "platform token": CREDENTIALS.platform_token,
            "access token": token,
            "basic auth": base64.b64encode(
                f"{CREDENTIALS.client_id}:{CREDENTIALS.client_secret}".encode()
            ).decode(),
        }
        district = harness.sandbox.district.tables
        in_riverdale = students.loc[riverdale]
        personal = (
            {GENDER}
            | set(in_riverdale["dob"].dropna())
            | set(district["emailaddress"]["emailaddress"].dropna())
        )
        database = harness.schools.database_path("riverdale")
        outputs = [synced.stdout, synced.stderr, *refused.errors, *failed.errors]
        files = written_files(harness)
        assert len(files) > 20
        for path in files:
            data = path.read_bytes()
            for what, value in secrets.items():
                assert value.encode() not in data, f"{what} in {path}"
            if path != database and path.suffix != ".yaml":
                found = [value for value in personal if value.encode() in data]
                assert not found, f"personal data in {path}: {len(found)} values"
        assert database_cells_containing(database, list(secrets.values())) == []
        assert "sync.roster.gender" in database_cells_containing(database, [GENDER])  # it finds
        for text in outputs:
            assert not [value for value in secrets.values() if value in text]
            assert not [value for value in personal if value in text]

        data_dir = harness.schools.root
        assert list(data_dir.glob("reports/riverdale/errors-*.csv"))
        for path in [data_dir, *data_dir.rglob("*")]:
            mode = stat.S_IMODE(path.stat().st_mode)
            assert mode & 0o077 == 0, f"{path} is {oct(mode)}"


@pytest.mark.parametrize("url", ["http://platform.example.com", "http://10.0.0.8:8080"])
def test_plain_http_is_refused_except_to_loopback(url):
    with pytest.raises(ValueError, match="plain http:// is only allowed to a loopback host"):
        PlatformClient(url, "token", "org")
    with pytest.raises(ValueError, match="plain http:// is only allowed to a loopback host"):
        PowerSchoolClient(url, "id", "secret")
    PlatformClient("http://127.0.0.1:9", "token", "org").close()
    PowerSchoolClient("http://[::1]:9", "id", "secret").close()


def test_secrets_with_line_breaks_are_refused_and_never_written(tmp_path):
    """A token mounted from a file ends in a newline; a server may hand out a token with CR/LF.
    Neither reaches a header, an error line, the event log or any file."""
    platform_token = f"{CREDENTIALS.platform_token}\n"
    issued = "ps-access-\r\nX-Injected: 4f0c2a77"
    with sync_harness(tmp_path, credentials=CREDENTIALS) as harness:
        refused = run_cli(
            harness, "sync", "--school", "riverdale", env={"TEST_PLATFORM_TOKEN": platform_token}
        )
        assert refused.returncode == 2 and refused.stdout == ""
        assert refused.stderr.splitlines() == [
            "sis-pipeline: error: platform.token_env: environment variable TEST_PLATFORM_TOKEN "
            "has white space around its value"
        ]
        assert harness.sandbox.powerschool.request_counts == {}

        harness.sandbox.powerschool.faults = PowerSchoolFaults(access_token=issued)
        failed = run_cli(harness, "sync", "--school", "riverdale")
        assert failed.returncode == 1
        assert failed.stderr.splitlines() == [
            "sis-pipeline: error: powerschool_tables: PowerSchool issued an access token with "
            "white space or control characters"
        ]
        assert harness.sandbox.powerschool.request_counts["/oauth/access_token"] >= 1

        values = [platform_token.strip(), issued, *issued.split("\r\n")]
        outputs = [refused.stdout, refused.stderr, failed.stdout, failed.stderr]
        assert not [v for v in values for text in outputs if v in text]
        files = written_files(harness)
        assert len(files) > 5
        for path in files:
            data = path.read_bytes()
            assert not [v for v in values if v.encode() in data], path
