-- One row per change between consecutive documents of one agency (ordered by as_of, a null
-- as_of first, then ingestion order) that both mention the recommendation and differ in
-- acceptance or implementation. A recommendation absent from an edition breaks the chain.
WITH editions AS (
    SELECT
        d.id,
        d.agency,
        d.source_file,
        ROW_NUMBER() OVER (
            PARTITION BY d.agency
            ORDER BY CASE WHEN d.as_of IS NULL THEN 0 ELSE 1 END, d.as_of, d.id
        ) AS edition
    FROM documents AS d
    WHERE d.status IN ('loaded', 'skipped')
),
mentions AS (
    SELECT e.agency, e.edition, e.source_file, a.review_symbol, a.rec_number,
           a.acceptance, a.implementation
    FROM assessments AS a
    JOIN editions AS e ON e.id = a.document_id
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
FROM mentions AS f
JOIN mentions AS t
    ON t.agency = f.agency
    AND t.edition = f.edition + 1
    AND t.review_symbol = f.review_symbol
    AND t.rec_number = f.rec_number
WHERE COALESCE(f.acceptance, '') <> COALESCE(t.acceptance, '')
    OR COALESCE(f.implementation, '') <> COALESCE(t.implementation, '')
