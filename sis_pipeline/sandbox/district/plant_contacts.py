"""Plant the parents' and contact links' hard cases on a batch in generator order."""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import codes, hard_names
from .context import Context
from .dates import iso_day
from .frames import concat_rows, int_column, make_frame
from .hard_cases import PARENT_ROLES


def _details_of(tables: dict[str, pd.DataFrame], person_id: int) -> np.ndarray:
    """Row labels of the detail rows of every link of `person_id`."""
    assoc = tables["studentcontactassoc"]
    links = assoc.loc[assoc.personid == person_id, "studentcontactassocid"]
    detail = tables["studentcontactdetail"]
    return detail.index[detail.studentcontactassocid.isin(links)].to_numpy()


def _name_parents(persons: pd.DataFrame, parent_row) -> None:
    role = PARENT_ROLES
    names = {
        "same_name_parents": [hard_names.SAME_NAME_PARENTS] * 2,
        "parent_non_latin": list(hard_names.PARENT_NON_LATIN),
        "parent_nfd": [hard_names.PARENT_NFD],
        "parent_stray_spaces": [hard_names.PARENT_STRAY_SPACES],
    }
    for case, pairs in names.items():
        for index, (first, last) in zip(role[case], pairs, strict=True):
            persons.loc[parent_row(index), ["firstname", "middlename", "lastname"]] = [
                first,
                None,
                last,
            ]


def plant_contacts(ctx: Context, tables: dict[str, pd.DataFrame], n_students: int) -> None:
    persons, detail = tables["person"], tables["studentcontactdetail"]
    role = PARENT_ROLES

    def parent_row(index: int) -> int:
        return n_students + index

    def parent_id(case: str) -> int:
        return int(persons.id.iloc[parent_row(role[case][0])])

    _name_parents(persons, parent_row)
    persons.loc[parent_row(role["parent_inactive"][0]), "isactive"] = 0
    today = ctx.today_day
    detail.loc[_details_of(tables, parent_id("contact_inactive")), "isactive"] = 0
    ended = _details_of(tables, parent_id("contact_ended"))
    detail.loc[ended, ["startdate", "enddate"]] = [iso_day(today - 400), iso_day(today - 30)]
    detail.loc[_details_of(tables, parent_id("contact_ends_today")), "enddate"] = iso_day(today)
    future = _details_of(tables, parent_id("contact_future"))
    detail.loc[future, "startdate"] = iso_day(today + 14)
    starts = _details_of(tables, parent_id("contact_starts_today"))
    detail.loc[starts, "startdate"] = iso_day(today)
    _link_student_person(tables)


def _link_student_person(tables: dict[str, pd.DataFrame]) -> None:
    """An older sibling (student 0), a student whose own PERSON row is listed as an emergency
    contact of the younger one (student 1)."""
    students, assoc, detail = (
        tables["students"],
        tables["studentcontactassoc"],
        tables["studentcontactdetail"],
    )
    assoc_id = int(assoc.studentcontactassocid.max()) + 1
    new_assoc = make_frame(
        "studentcontactassoc",
        {
            "studentcontactassocid": int_column([assoc_id]),
            "studentdcid": int_column([students.dcid.iloc[1]]),
            "personid": int_column([students.person_id.iloc[0]]),
            "contactpriorityorder": int_column([3]),
            "currreltypecodesetid": int_column([codes.SIBLING]),
        },
        1,
    )
    flags = ("isactive", "isemergency", "liveswithflg", "schoolpickupflg", "generalcommflag")
    new_detail = make_frame(
        "studentcontactdetail",
        {
            "studentcontactdetailid": int_column([int(detail.studentcontactdetailid.max()) + 1]),
            "studentcontactassocid": int_column([assoc_id]),
            "relationshiptypecodesetid": int_column([codes.SIBLING]),
            **{flag: int_column([1]) for flag in flags},
            **{flag: int_column([0]) for flag in ("iscustodial", "receivesmailflg")},
            "excludefromstatereportingflg": int_column([0]),
            "confidentialcommflag": int_column([0]),
        },
        1,
    )
    tables["studentcontactassoc"] = concat_rows("studentcontactassoc", assoc, new_assoc)
    tables["studentcontactdetail"] = concat_rows("studentcontactdetail", detail, new_detail)
