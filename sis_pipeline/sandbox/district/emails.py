"""EMAILADDRESS and PERSONEMAILADDRESSASSOC: parents' personal (and some work) addresses,
students' school addresses. Addresses use the reserved example domains."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import codes
from .context import Context
from .dates import iso_text
from .frames import int_column, make_frame
from .ids import IdStarts, increasing_ids

PARENT_DOMAINS = np.array(
    ["example.com", "example.net", "example.org", "mail.example.com"], dtype=object
)
WORK_DOMAIN = "work.example.com"
STUDENT_DOMAIN = "students.example.org"
STAFF_DOMAIN = "staff.example.org"
_WHO = np.array(["Data Import", "PowerSchool Admin", "Parent Portal"], dtype=object)


@dataclass(frozen=True)
class EmailRows:
    """One row per (person, address) link; rows with equal `address_key` share an address."""

    person_id: np.ndarray
    address: np.ndarray
    primary: np.ndarray
    priority: np.ndarray
    type_code: np.ndarray
    address_key: np.ndarray | None = None

    @staticmethod
    def concat(*parts: EmailRows) -> EmailRows:
        return EmailRows(
            *(
                np.concatenate([getattr(p, f) for p in parts])
                for f in ("person_id", "address", "primary", "priority", "type_code")
            )
        )


def _numbers(values: np.ndarray) -> np.ndarray:
    return np.asarray(values, dtype=np.int64).astype(str).astype(object)


def parent_emails(rng, person_id, first_slug, last_slug) -> EmailRows:
    """Nine parents in ten have a personal address; some of them also a work one."""
    has = rng.random(len(person_id)) < 0.9
    pid, first, last = person_id[has], first_slug[has], last_slug[has]
    domain = PARENT_DOMAINS[rng.integers(0, len(PARENT_DOMAINS), len(pid))]
    personal = first + "." + last + _numbers(pid) + "@" + domain
    work = rng.random(len(pid)) < 0.15
    work_address = first[work] + "." + last[work] + "@" + WORK_DOMAIN
    n_work = int(work.sum())
    return EmailRows(
        np.concatenate([pid, pid[work]]),
        np.concatenate([personal, work_address]),
        np.concatenate([np.ones(len(pid), np.int64), np.zeros(n_work, np.int64)]),
        np.concatenate([np.ones(len(pid), np.int64), np.full(n_work, 2)]),
        np.concatenate(
            [np.full(len(pid), codes.PERSONAL_EMAIL), np.full(n_work, codes.WORK_EMAIL)]
        ),
    )


def student_emails(rng, person_id, first_slug, last_slug, student_number) -> EmailRows:
    """Two students in three have a school address (on their own PERSON row)."""
    has = rng.random(len(person_id)) < 0.65
    address = first_slug[has] + "." + last_slug[has] + _numbers(student_number[has])
    n = int(has.sum())
    return EmailRows(
        person_id[has],
        address + "@" + STUDENT_DOMAIN,
        np.ones(n, np.int64),
        np.ones(n, np.int64),
        np.full(n, codes.SCHOOL_EMAIL),
    )


def build_emails(
    rng: np.random.Generator, ctx: Context, starts: IdStarts, rows: EmailRows
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Frames for `rows`; IDs increase by person, then by the order the rows were given."""
    n = len(rows.person_id)
    order = np.lexsort((np.arange(n), rows.person_id))
    key = np.arange(n) if rows.address_key is None else np.asarray(rows.address_key)
    key = key[order]
    _, first_of_key, address_index = np.unique(key, return_index=True, return_inverse=True)
    first_rows = np.sort(first_of_key)
    rank_of_key = np.empty(len(first_of_key), np.int64)
    rank_of_key[np.argsort(first_of_key)] = np.arange(len(first_of_key))
    address_ids = increasing_ids(rng, len(first_rows), starts.email_id, (1, 2))
    m = len(first_rows)
    created = ctx.today_day - rng.integers(1, 1500, m)
    modified = np.minimum(created + rng.integers(0, 400, m), ctx.today_day)
    who = _WHO[rng.integers(0, len(_WHO), m)]
    audit = {
        "whencreated": iso_text(created),
        "whenmodified": iso_text(modified),
        "whocreated": who,
        "whomodified": who,
    }
    addresses = make_frame(
        "emailaddress",
        {
            "emailaddressid": int_column(address_ids),
            "emailaddress": np.asarray(rows.address, dtype=object)[order][first_rows],
            **audit,
        },
        m,
    )
    link_rank = rank_of_key[address_index.reshape(-1)]
    links = make_frame(
        "personemailaddressassoc",
        {
            "personemailaddressassocid": int_column(
                increasing_ids(rng, n, starts.email_assoc_id, (1, 2))
            ),
            "personid": int_column(rows.person_id[order]),
            "emailaddressid": int_column(address_ids[link_rank]),
            "emailtypecodesetid": int_column(rows.type_code[order]),
            "isprimaryemailaddress": int_column(rows.primary[order]),
            "emailaddresspriorityorder": int_column(rows.priority[order]),
            **{k: v[link_rank] for k, v in audit.items()},
        },
        n,
    )
    return addresses, links
