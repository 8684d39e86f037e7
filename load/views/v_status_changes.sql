-- One row per change between consecutive editions of one agency, for each recommendation
-- (review_symbol, rec_id) both editions mention whose acceptance or implementation differs. A recommendation absent from an
-- edition breaks the chain there. Documents whose agency is null are never paired.
--
-- An edition is the documents of one agency with the same edition key: the document_symbol
-- where there is one, else the as_of date, else the file name without its format's suffix
-- (compared case-blind). So the PDF and the DOCX of one report are one edition and are never
-- compared with each other. Editions are ordered by their as_of (the latest of their files'; an
-- edition without one comes first), then by ingestion (their first file's documents.id).
-- Within an edition, each recommendation is read from the same file v_latest_status shows: the
-- PDF before the DOCX (its rows carry pages), then by file name, whichever a run stored first;
-- from_document / to_document name that file.
-- Editions and their numbers come from v_editions.
WITH mentions AS (
    SELECT
        e.agency,
        e.edition,
        e.source_file,
        a.review_symbol,
        a.rec_id,
        a.rec_number,
        a.acceptance,
        a.implementation,
        ROW_NUMBER() OVER (
            PARTITION BY e.agency, e.edition, a.review_symbol, a.rec_id
            ORDER BY CASE WHEN d.format = 'pdf' THEN 0 ELSE 1 END, d.source_file
        ) AS last_first
    FROM assessments AS a
    JOIN v_editions AS e ON e.document_id = a.document_id
    JOIN documents AS d ON d.id = a.document_id
),
chosen AS (
    SELECT * FROM mentions WHERE last_first = 1
)
SELECT
    f.agency,
    f.review_symbol,
    f.rec_id,
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
    AND t.rec_id = f.rec_id
WHERE COALESCE(f.acceptance, '') <> COALESCE(t.acceptance, '')
    OR COALESCE(f.implementation, '') <> COALESCE(t.implementation, '')
