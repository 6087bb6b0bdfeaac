-- Parsing and cleaning macros for PowerSchool's all-text values. Temp macros: they live
-- only on the connection that runs the transform and never land in the school's file.

-- White space as Python's str.split sees it: ASCII space and controls \t..\r, \x1c-\x1f,
-- NEL (\x85) and every Unicode separator (no-break space, ideographic space, ...).
-- RE2's \s alone covers only ASCII [\t\n\f\r ].
CREATE OR REPLACE TEMP MACRO strip_space(raw) AS
    regexp_replace(raw, '^[\s\x0b\x1c-\x1f\x85\p{Z}]+|[\s\x0b\x1c-\x1f\x85\p{Z}]+$', '', 'g');

-- An integral number: "12", " 0012 " and "12.0" give 12; "12.5", "1e3", "abc" give NULL.
-- A bare TRY_CAST would round "12.5" to 13 and read "1e3" as 1000.
CREATE OR REPLACE TEMP MACRO ps_integer(raw) AS
    TRY_CAST(regexp_extract(strip_space(raw), '^(-?[0-9]+)(\.0+)?$', 1) AS BIGINT);

-- A record ID: an integral number that is not negative.
CREATE OR REPLACE TEMP MACRO ps_id(raw) AS
    CASE WHEN ps_integer(raw) >= 0 THEN ps_integer(raw) END;

-- Join key between tables: the number when the ID is one, else the trimmed text, so "012"
-- in one table meets "12" in another and a garbage ID still meets its own row.
CREATE OR REPLACE TEMP MACRO ps_key(raw) AS
    coalesce(CAST(ps_id(raw) AS VARCHAR), strip_space(raw));

-- A calendar date written YYYY-MM-DD; anything else ("2026-13-45", "2009-4-1") is NULL.
CREATE OR REPLACE TEMP MACRO ps_date(raw) AS
    CASE
        WHEN regexp_full_match(strip_space(raw), '[0-9]{4}-[0-9]{2}-[0-9]{2}')
            AND year(TRY_CAST(strip_space(raw) AS DATE)) >= 1
        THEN TRY_CAST(strip_space(raw) AS DATE)
    END;

-- A name as the platform gets it. Control characters other than white space are dropped
-- (a name never holds one; they come from pasted text, and the rest of the name is sound),
-- white space runs become one space, then trim and NFC. The controls go first because
-- nfc_normalize stops at a NUL character.
CREATE OR REPLACE TEMP MACRO clean_name(raw) AS
    NULLIF(
        nfc_normalize(trim(regexp_replace(
            regexp_replace(raw, '[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]', '', 'g'),
            '[\s\x0b\x1c-\x1f\x85\p{Z}]+', ' ', 'g'
        ))),
        ''
    );

-- The duplicate guard's key: first + last name, cleaned as above and case-folded.
CREATE OR REPLACE TEMP MACRO full_name_key(first_name, last_name) AS
    lower(clean_name(first_name) || ' ' || clean_name(last_name));

-- Why the platform would refuse an e-mail (NULL when it would take it, or when there is none).
CREATE OR REPLACE TEMP MACRO email_problem(raw) AS
    CASE
        WHEN raw IS NULL THEN NULL
        WHEN strip_space(raw) = '' THEN 'empty'
        WHEN length(strip_space(raw)) - length(replace(strip_space(raw), '@', '')) <> 1
            THEN 'not_one_at_sign'
        WHEN length(strip_space(raw)) > 254 THEN 'too_long'
    END;

CREATE OR REPLACE TEMP MACRO email_value(raw) AS
    CASE WHEN email_problem(raw) IS NULL THEN NULLIF(strip_space(raw), '') END;

CREATE OR REPLACE TEMP MACRO gender_value(raw) AS
    CASE WHEN length(strip_space(raw)) BETWEEN 1 AND 16 THEN strip_space(raw) END;

CREATE OR REPLACE TEMP MACRO gender_problem(raw) AS
    CASE WHEN length(strip_space(raw)) > 16 THEN 'too_long' END;
