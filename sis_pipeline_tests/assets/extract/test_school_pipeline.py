"""The school's dlt pipeline keeps its schema beside its state, not read back from DuckDB:
a database file that is gone (or replaced) is loaded again whole, never assumed; and no
staging copy of the tables stays behind once they are swapped."""

from __future__ import annotations

import duckdb

from sis_pipeline.assets.extract.powerschool_tables import pipeline_for
from sis_pipeline.resources.schools import SchoolsResource
from sis_pipeline.sandbox.district import generate_district
from sis_pipeline.sandbox.powerschool import PowerSchoolSimulator
from sis_pipeline.sources.powerschool import powerschool_source, reading_tables
from sis_pipeline.sources.powerschool.client import PowerSchoolClient

PLAN = {"students": ["dcid", "last_name"], "person": ["id", "lastname"]}


def load(sim: PowerSchoolSimulator, schools: SchoolsResource) -> None:
    with (
        PowerSchoolClient(sim.url, "sandbox-client", "sandbox-secret") as client,
        reading_tables(client, PLAN) as readers,
        schools.connect("riverdale") as connection,
    ):
        pipeline = pipeline_for("riverdale", schools, connection)
        pipeline.run(powerschool_source(PLAN, readers), loader_file_format="parquet")


def counts(schools: SchoolsResource, dataset: str = "powerschool") -> tuple[int, int]:
    with duckdb.connect(str(schools.database_path("riverdale")), read_only=True) as con:
        return con.execute(
            f"SELECT (SELECT count(*) FROM {dataset}.students), "
            f"(SELECT count(*) FROM {dataset}.person)"
        ).fetchone()


def test_a_database_file_that_is_gone_is_loaded_again_whole(tmp_path):
    tables = {name: generate_district(150, seed=9).tables[name] for name in PLAN}
    expected = (len(tables["students"]), len(tables["person"]))
    schools = SchoolsResource(data_directory=str(tmp_path))
    with PowerSchoolSimulator(tables, max_page_size=25) as sim:
        load(sim, schools)
        assert counts(schools) == expected
        schools.database_path("riverdale").unlink()
        load(sim, schools)
        assert counts(schools) == expected
        # A second load into the same file replaces, never appends.
        load(sim, schools)
        assert counts(schools) == expected
        assert counts(schools, "powerschool_staging") == (0, 0)
