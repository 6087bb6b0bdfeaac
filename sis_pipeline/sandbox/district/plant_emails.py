"""Plant the e-mail hard cases: a shared family address, a padded and an invalid address,
a person with several primary rows and one with none. Returns the planted address IDs."""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import codes
from .context import Context
from .emails import EmailRows, build_emails
from .frames import concat_rows
from .hard_cases import PARENT_ROLES
from .ids import IdStarts
from .names import ascii_slug

PADDED = "  d.ivanov@example.com "
INVALID = "fatima.alhassan.example.com"
# (address, primary, priority order): the winner is the second row in both lists.
TWO_PRIMARIES = (
    ("ines.lefevre@example.com", 1, 2),
    ("ines@example.net", 1, 1),
    ("lefevre.ines@example.org", 1, 1),
)
NO_PRIMARY = (("maria.garcia@work.example.com", 0, 2), ("maria.garcia@example.com", 0, 1))


def _replace_emails(
    rng, ctx: Context, tables, rows: list[tuple[int, str, int, int, int]]
) -> pd.Series:
    """Drop the persons' e-mails and give them `rows` (person, address, primary, priority,
    address key) instead; returns the new EMAILADDRESSID by row position."""
    links, addresses = tables["personemailaddressassoc"], tables["emailaddress"]
    people = {row[0] for row in rows}
    dropped = links.personid.isin(people)
    addresses = addresses[~addresses.emailaddressid.isin(links.emailaddressid[dropped])]
    links = links[~dropped]
    person, address, primary, priority, key = (
        np.array(col, dtype=object) for col in zip(*rows, strict=True)
    )
    new = EmailRows(
        person.astype(np.int64),
        address,
        primary.astype(np.int64),
        priority.astype(np.int64),
        np.full(len(rows), codes.PERSONAL_EMAIL),
        key.astype(np.int64),
    )
    starts = IdStarts.after(tables)
    new_addresses, new_links = build_emails(rng, ctx, starts, new)
    tables["emailaddress"] = concat_rows("emailaddress", addresses, new_addresses)
    tables["personemailaddressassoc"] = concat_rows("personemailaddressassoc", links, new_links)
    by_row = np.lexsort((np.arange(len(rows)), person.astype(np.int64)))
    ids = np.empty(len(rows), np.int64)
    ids[by_row] = new_links.emailaddressid.to_numpy(dtype=np.int64)
    return pd.Series(ids)


def plant_emails(
    rng, ctx: Context, tables: dict[str, pd.DataFrame], n_students: int
) -> dict[str, list[int]]:
    persons, students = tables["person"], tables["students"]

    def parent(case: str) -> int:
        return int(persons.id.iloc[n_students + PARENT_ROLES[case][0]])

    sibling_parent = persons.iloc[n_students + PARENT_ROLES["sibling_parent"][0]]
    family = f"{ascii_slug(sibling_parent.lastname)}.family{sibling_parent.id}@example.net"
    sharing = [parent("sibling_parent"), *students.person_id.iloc[[0, 1]].astype(int)]
    rows = [(pid, family, 1, 1, 0) for pid in sharing]
    rows += [(parent("email_padded"), PADDED, 1, 1, 1), (parent("email_invalid"), INVALID, 1, 1, 2)]
    rows += [(parent("email_two_primaries"), *r, 3 + i) for i, r in enumerate(TWO_PRIMARIES)]
    rows += [(parent("email_no_primary"), *r, 6 + i) for i, r in enumerate(NO_PRIMARY)]
    ids = _replace_emails(rng, ctx, tables, rows)
    return {
        "sibling_shared_email": [int(ids[0])],
        "email_two_primaries_winner": [int(ids[len(sharing) + 3])],
        "email_no_primary_winner": [int(ids[len(sharing) + 6])],
    }
