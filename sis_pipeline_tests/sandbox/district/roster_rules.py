"""Small reference implementations of the sync's rules, to check generated data against."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

import pandas as pd


def normalise(name: str | None) -> str:
    """Trimmed, inner white space collapsed, NFC."""
    return unicodedata.normalize("NFC", re.sub(r"\s+", " ", name or "").strip())


def rows(frame: pd.DataFrame, column: str, ids) -> pd.DataFrame:
    return frame[frame[column].isin(list(ids))]


def current_detail(detail: pd.DataFrame, today: dt.date) -> pd.Series:
    day = today.isoformat()
    start, end = detail.startdate.fillna("0000-00-00"), detail.enddate.fillna("9999-99-99")
    return (detail.isactive == 1) & (start <= day) & (end >= day)


def students_in_scope(tables: dict[str, pd.DataFrame]) -> pd.Series:
    """Active students with a complete, short enough record (no school or grade filter)."""
    s = tables["students"]
    first, last = s.first_name.map(normalise), s.last_name.map(normalise)
    complete = (first != "") & (last != "") & (s.sched_yearofgraduation.fillna(0) != 0)
    short = (first.str.len() <= 100) & (last.str.len() <= 100)
    return s.dcid[(s.enroll_status == 0) & complete & short]


def synced_parents(tables: dict[str, pd.DataFrame], today: dt.date) -> set[int]:
    assoc, detail, persons = (
        tables["studentcontactassoc"],
        tables["studentcontactdetail"],
        tables["person"],
    )
    live = detail.studentcontactassocid[current_detail(detail, today)]
    links = assoc[assoc.studentcontactassocid.isin(live)]
    links = links[links.studentdcid.isin(students_in_scope(tables))]
    active = persons.id[persons.isactive == 1]
    own = set(tables["students"].person_id.dropna().astype(int))
    return {int(p) for p in links.personid[links.personid.isin(active)]} - own


def primary_email(tables: dict[str, pd.DataFrame], person_id: int) -> int | None:
    """EMAILADDRESSID of the person's primary e-mail by the interface's rule."""
    links = tables["personemailaddressassoc"]
    mine = links[links.personid == person_id]
    primary = mine[mine.isprimaryemailaddress == 1]
    pool = primary if len(primary) else mine
    if pool.empty:
        return None
    best = pool.sort_values(["emailaddresspriorityorder", "emailaddressid"]).iloc[0]
    return int(best.emailaddressid)
