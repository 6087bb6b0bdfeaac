"""The PowerSchool tables the sandbox serves: names, primary keys and column types.

Column names follow the PowerSchool data dictionary (section 5 of the API notes). The
canonical spelling is what PowerSchool echoes in error bodies; the API itself answers
with lower-case keys. Types drive the FIQL type check: `number`, `text` or `date`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TableSchema:
    name: str  # capitalised as PowerSchool stores it, e.g. "Students"
    primary_key: str  # lower-case column name
    columns: dict[str, tuple[str, str]]  # lower-case name -> (canonical name, type)

    @property
    def key(self) -> str:
        return self.name.lower()


def _table(name: str, primary_key: str, *columns: tuple[str, str]) -> TableSchema:
    return TableSchema(name, primary_key, {c.lower(): (c, t) for c, t in columns})


N, T, D = "number", "text", "date"

TABLES: dict[str, TableSchema] = {
    t.key: t
    for t in [
        _table(
            "Students",
            "dcid",
            ("DCID", N),
            ("ID", N),
            ("Student_Number", N),
            ("First_Name", T),
            ("Middle_Name", T),
            ("Last_Name", T),
            ("LastFirst", T),
            ("DOB", D),
            ("Gender", T),
            ("Grade_Level", N),
            ("Sched_YearOfGraduation", N),
            ("ClassOf", N),
            ("Enroll_Status", N),
            ("SchoolID", N),
            ("EntryDate", D),
            ("ExitDate", D),
            ("Student_Web_ID", T),
            ("State_StudentNumber", T),
            ("Home_Room", T),
            ("Person_ID", N),
            ("Family_Ident", N),
        ),
        _table(
            "Users",
            "dcid",
            ("DCID", N),
            ("First_Name", T),
            ("Middle_Name", T),
            ("Last_Name", T),
            ("LastFirst", T),
            ("Email_Addr", T),
            ("TeacherNumber", T),
            ("HomeSchoolID", N),
            ("LoginID", T),
            ("TeacherLoginID", T),
            ("PSAccess", N),
            ("PTAccess", N),
            ("Title", T),
            ("PreferredName", T),
        ),
        _table(
            "SchoolStaff",
            "dcid",
            ("DCID", N),
            ("ID", N),
            ("Users_DCID", N),
            ("SchoolID", N),
            ("Status", N),
            ("StaffStatus", N),
        ),
        _table(
            "Person",
            "id",
            ("ID", N),
            ("DCID", N),
            ("FirstName", T),
            ("MiddleName", T),
            ("LastName", T),
            ("IsActive", N),
            ("GenderCodeSetID", N),
            ("PrefixCodeSetID", N),
            ("SuffixCodeSetID", N),
            ("Employer", T),
            ("StateContactID", T),
            ("StateContactNumber", T),
            ("ExcludeFromStateReporting", N),
        ),
        _table(
            "EmailAddress",
            "emailaddressid",
            ("EmailAddressID", N),
            ("EmailAddress", T),
            ("WhenCreated", D),
            ("WhenModified", D),
            ("WhoCreated", T),
            ("WhoModified", T),
        ),
        _table(
            "PersonEmailAddressAssoc",
            "personemailaddressassocid",
            ("PersonEmailAddressAssocID", N),
            ("PersonID", N),
            ("EmailAddressID", N),
            ("EmailTypeCodeSetID", N),
            ("IsPrimaryEmailAddress", N),
            ("EmailAddressPriorityOrder", N),
            ("WhenCreated", D),
            ("WhenModified", D),
            ("WhoCreated", T),
            ("WhoModified", T),
        ),
        _table(
            "StudentContactAssoc",
            "studentcontactassocid",
            ("StudentContactAssocID", N),
            ("StudentDCID", N),
            ("PersonID", N),
            ("ContactPriorityOrder", N),
            ("CurrRelTypeCodeSetID", N),
        ),
        _table(
            "StudentContactDetail",
            "studentcontactdetailid",
            ("StudentContactDetailID", N),
            ("StudentContactAssocID", N),
            ("RelationshipTypeCodeSetID", N),
            ("IsActive", N),
            ("IsCustodial", N),
            ("IsEmergency", N),
            ("LivesWithFlg", N),
            ("SchoolPickupFlg", N),
            ("ReceivesMailFlg", N),
            ("StartDate", D),
            ("EndDate", D),
            ("RelationshipNote", T),
            ("ExcludeFromStateReportingFlg", N),
            ("GeneralCommFlag", N),
            ("ConfidentialCommFlag", N),
        ),
        _table(
            "Schools",
            "dcid",
            ("DCID", N),
            ("ID", N),
            ("School_Number", N),
            ("Name", T),
            ("Abbreviation", T),
            ("Low_Grade", N),
            ("High_Grade", N),
        ),
    ]
}

# Views PowerSchool refuses to serve through the table API (405).
VIEWS = frozenset({"teachers"})
