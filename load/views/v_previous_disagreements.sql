-- Where a document states what a recommendation's status was before (previous_implementation)
-- and the agency's previous edition is loaded and mentions the recommendation, the rows where
-- that edition's implementation differs from the stated one: one row per file of the later
-- edition that states it and per file of the previous edition that contradicts it.
-- Editions and their order are those of v_status_changes (the CTEs docs, grouped and editions
-- are the same text there): the PDF and the DOCX of one report are one edition, so a report is
-- never compared with its other format.
WITH docs AS (
    SELECT
        d.id,
        d.agency,
        d.source_file,
        d.as_of,
        d.document_symbol AS key_symbol,
        CASE WHEN d.document_symbol IS NULL THEN d.as_of END AS key_as_of,
        CASE WHEN d.document_symbol IS NULL AND d.as_of IS NULL THEN
            LOWER(CASE WHEN LOWER(SUBSTR(d.source_file, LENGTH(d.source_file) - LENGTH(d.format)))
                       = '.' || LOWER(d.format)
                       THEN SUBSTR(d.source_file, 1, LENGTH(d.source_file) - LENGTH(d.format) - 1)
                       ELSE d.source_file END)
        END AS key_stem
    FROM documents AS d
    WHERE d.status IN ('loaded', 'skipped')
),
grouped AS (
    SELECT
        id,
        agency,
        source_file,
        MAX(as_of) OVER (PARTITION BY agency, key_symbol, key_as_of, key_stem) AS edition_as_of,
        MIN(id) OVER (PARTITION BY agency, key_symbol, key_as_of, key_stem) AS edition_first_id
    FROM docs
),
editions AS (
    SELECT
        id,
        agency,
        source_file,
        DENSE_RANK() OVER (
            PARTITION BY agency
            ORDER BY CASE WHEN edition_as_of IS NULL THEN 0 ELSE 1 END, edition_as_of,
                     edition_first_id
        ) AS edition
    FROM grouped
),
mentions AS (
    SELECT e.agency, e.edition, e.source_file, a.review_symbol, a.rec_number,
           a.implementation, a.previous_implementation, a.page
    FROM assessments AS a
    JOIN editions AS e ON e.id = a.document_id
)
SELECT
    t.agency,
    t.review_symbol,
    t.rec_number,
    f.source_file AS earlier_document,
    f.implementation AS earlier_implementation,
    t.source_file AS document,
    t.page,
    t.previous_implementation AS stated_previous_implementation,
    t.implementation
FROM mentions AS t
JOIN mentions AS f
    ON f.agency = t.agency
    AND f.edition = t.edition - 1
    AND f.review_symbol = t.review_symbol
    AND f.rec_number = t.rec_number
WHERE t.previous_implementation IS NOT NULL
    AND t.previous_implementation <> COALESCE(f.implementation, '')
