-- Where a document states what a recommendation's status was before (previous_implementation)
-- and the agency's previous edition is loaded and mentions the recommendation, the rows where
-- that edition's implementation differs from the stated one: one row per file of the later
-- edition that states it and per file of the previous edition that contradicts it.
-- Editions and their order come from v_editions: the PDF and the DOCX of one report are one
-- edition, so a report is never compared with its other format.
WITH mentions AS (
    SELECT e.agency, e.edition, e.source_file, a.review_symbol, a.rec_id, a.rec_number,
           a.implementation, a.previous_implementation, a.page
    FROM assessments AS a
    JOIN v_editions AS e ON e.document_id = a.document_id
)
SELECT
    t.agency,
    t.review_symbol,
    t.rec_id,
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
    AND f.rec_id = t.rec_id
WHERE t.previous_implementation IS NOT NULL
    AND t.previous_implementation <> COALESCE(f.implementation, '')
