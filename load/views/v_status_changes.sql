-- One row per change between consecutive editions of one agency, for each recommendation both
-- editions mention whose acceptance or implementation differs. A recommendation absent from an
-- edition breaks the chain there. Documents whose agency is null are never paired.
--
-- An edition is the documents of one agency with the same edition key: the document_symbol
-- where there is one, else the as_of date, else the file name without its format's suffix
-- (compared case-blind). So the PDF and the DOCX of one report are one edition and are never
-- compared with each other. Editions are ordered by their as_of (the latest of their files'; an
-- edition without one comes first), then by ingestion (their first file's documents.id).
-- Within an edition, each recommendation is read from the last ingested file that mentions it
-- (the file v_latest_status shows), and from_document / to_document name that file.
-- The same edition CTEs (docs, grouped, editions) open v_previous_disagreements.sql.
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
    SELECT
        e.agency,
        e.edition,
        e.source_file,
        a.review_symbol,
        a.rec_number,
        a.acceptance,
        a.implementation,
        ROW_NUMBER() OVER (
            PARTITION BY e.agency, e.edition, a.review_symbol, a.rec_number
            ORDER BY e.id DESC
        ) AS last_first
    FROM assessments AS a
    JOIN editions AS e ON e.id = a.document_id
),
chosen AS (
    SELECT * FROM mentions WHERE last_first = 1
)
SELECT
    f.agency,
    f.review_symbol,
    f.rec_number,
    f.source_file AS from_document,
    t.source_file AS to_document,
    f.acceptance AS from_acceptance,
    t.acceptance AS to_acceptance,
    f.implementation AS from_implementation,
    t.implementation AS to_implementation
FROM chosen AS f
JOIN chosen AS t
    ON t.agency = f.agency
    AND t.edition = f.edition + 1
    AND t.review_symbol = f.review_symbol
    AND t.rec_number = f.rec_number
WHERE COALESCE(f.acceptance, '') <> COALESCE(t.acceptance, '')
    OR COALESCE(f.implementation, '') <> COALESCE(t.implementation, '')
