-- Recommendations accepted (or partially) but not implemented, per v_latest_status, with their
-- age: the year of the document's as_of minus the review's year (null where either is unknown).
-- "Not implemented" = implementation in (not_started, in_progress, unknown); closed_unimplemented
-- is closed, so it is not open.
SELECT
    l.agency,
    l.body,
    l.review_symbol,
    l.rec_id,
    l.rec_number,
    r.review_year,
    CAST(SUBSTR(l.as_of, 1, 4) AS INTEGER) - r.review_year AS age_years,
    l.acceptance,
    l.implementation,
    l.source_file
FROM v_latest_status AS l
LEFT JOIN reviews AS r ON r.review_symbol = l.review_symbol
WHERE l.acceptance IN ('accepted', 'partially_accepted')
    AND l.implementation IN ('not_started', 'in_progress', 'unknown')
