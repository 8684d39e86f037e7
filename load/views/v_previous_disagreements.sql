-- Where a document states what a recommendation's status was before (previous_implementation)
-- and the agency's previous edition (ordered as in v_status_changes, but the PDF and DOCX of one
-- report count as one edition) is loaded and mentions the recommendation, the rows where that
-- edition's implementation differs from the stated one (one row per file of that edition).
WITH docs AS (
    -- the PDF and DOCX of one report (same agency, as_of and symbol) are one edition
    SELECT
        d.id,
        d.agency,
        d.source_file,
        d.as_of,
        MIN(d.id) OVER (
            PARTITION BY d.agency, d.as_of, COALESCE(d.document_symbol, 'file:' || d.source_file)
        ) AS first_id
    FROM documents AS d
    WHERE d.status IN ('loaded', 'skipped')
),
editions AS (
    SELECT
        id,
        agency,
        source_file,
        DENSE_RANK() OVER (
            PARTITION BY agency
            ORDER BY CASE WHEN as_of IS NULL THEN 0 ELSE 1 END, as_of, first_id
        ) AS edition
    FROM docs
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
