"""A batch of new people built together: students in families with their parents, their
contact links and e-mails, and staff. Rows come in the batch's own order (not yet sorted):
student i is PERSON row i, parent j is PERSON row n_students + j."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .context import Context
from .emails import EmailRows, build_emails, parent_emails, student_emails
from .households import Households, build_households
from .ids import IdStarts
from .links import build_links, family_links
from .names import pick_last_names, pick_scripts
from .persons import Parents, build_persons, person_ids, pick_parents
from .staff import StaffPlan, build_staff
from .students import build_students


@dataclass
class Cohort:
    tables: dict[str, pd.DataFrame]
    households: Households
    parents: Parents

    @property
    def n_students(self) -> int:
        return len(self.tables["students"])


def build_cohort(
    rng: np.random.Generator,
    ctx: Context,
    starts: IdStarts,
    n_students: int,
    n_parents: int,
    staff_plan: StaffPlan,
    scaffold: tuple[tuple[int, int], ...] = (),
) -> Cohort:
    homes = build_households(rng, n_students, n_parents, scaffold)
    family_script = pick_scripts(rng, homes.n_families)
    family_last, family_slug = pick_last_names(rng, family_script)
    ids, dcids = person_ids(rng, starts, n_students + n_parents)
    students, first_slug = build_students(
        rng, ctx, starts, homes.student_family, family_last, family_script, ids[:n_students]
    )
    parents = pick_parents(
        rng, homes.parent_family, homes.parent_rank, family_last, family_slug, family_script
    )
    persons = build_persons(rng, ids, dcids, students, parents)
    child, parent, priority = family_links(
        homes.student_family, homes.parent_family, homes.parent_rank, homes.n_families
    )
    assoc, detail = build_links(
        rng,
        ctx,
        starts,
        students.dcid.to_numpy(dtype=np.int64)[child],
        ids[n_students + parent],
        priority,
        parents.gender[parent],
    )
    rows = EmailRows.concat(
        parent_emails(rng, ids[n_students:], parents.first_slug, parents.last_slug),
        student_emails(
            rng,
            ids[:n_students],
            first_slug,
            family_slug[homes.student_family],
            students.student_number.to_numpy(dtype=np.int64),
        ),
    )
    addresses, email_links = build_emails(rng, ctx, starts, rows)
    users, schoolstaff = build_staff(rng, starts, staff_plan)
    tables = {
        "students": students,
        "person": persons,
        "studentcontactassoc": assoc,
        "studentcontactdetail": detail,
        "emailaddress": addresses,
        "personemailaddressassoc": email_links,
        "users": users,
        "schoolstaff": schoolstaff,
    }
    return Cohort(tables, homes, parents)
