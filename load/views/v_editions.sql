-- One row per loaded document: which edition of its agency's reports it
-- belongs to. An edition is the documents of one agency with the same edition key: the
-- document_symbol where there is one, else the as_of date, else the file name without its
-- format's suffix (compared case-blind). So the PDF and the DOCX of one report are one edition.
-- Editions are numbered 1, 2, ... per agency in order of their as_of (the latest of their
-- files'; an edition without one comes first), then of ingestion (their first file's id).
-- v_status_changes and v_previous_disagreements compare consecutive editions.
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
    WHERE d.status = 'loaded'
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
        edition_as_of,
        DENSE_RANK() OVER (
            PARTITION BY agency
            ORDER BY CASE WHEN edition_as_of IS NULL THEN 0 ELSE 1 END, edition_as_of,
                     edition_first_id
        ) AS edition
    FROM grouped
)
SELECT id AS document_id, agency, source_file, edition, edition_as_of
FROM editions
