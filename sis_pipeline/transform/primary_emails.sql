-- One e-mail per person: the primary address (ISPRIMARYEMAILADDRESS 1) with the lowest
-- priority order, then the lowest EMAILADDRESSID; a person with no primary row gets the
-- address with the lowest priority order. The raw text is kept: the roster trims it and
-- decides whether the platform would take it.
CREATE OR REPLACE TEMP TABLE primary_emails AS
SELECT person_key, raw_email
FROM (
    SELECT
        ps_key(a.personid) AS person_key,
        e.emailaddress AS raw_email,
        row_number() OVER (
            PARTITION BY ps_key(a.personid)
            ORDER BY
                coalesce(ps_integer(a.isprimaryemailaddress) = 1, false) DESC,
                ps_integer(a.emailaddresspriorityorder) ASC NULLS LAST,
                ps_integer(a.emailaddressid) ASC NULLS LAST,
                a.emailaddressid,
                e.emailaddress
        ) AS choice
    FROM raw_personemailaddressassoc AS a
    JOIN raw_emailaddress AS e ON ps_key(e.emailaddressid) = ps_key(a.emailaddressid)
    WHERE a.personid IS NOT NULL
)
WHERE choice = 1;
