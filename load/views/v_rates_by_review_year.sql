-- Per (agency, review_year): v_rates split by the year in the review's symbol (JIU/REP/2020/8
-- -> 2020; null for symbols without a year); same formulas as v_rates:
--   recommendations = acceptance in (accepted, partially_accepted, not_accepted, noted): those
--                     decided on; left out: under_consideration, not_relevant, not_applicable,
--                     unknown
--   accepted        = acceptance in (accepted, partially_accepted)
--   implemented     = accepted and implementation = implemented
--   acceptance_rate = accepted / recommendations; implementation_rate = implemented / accepted
WITH counts AS (
    SELECT
        l.agency,
        r.review_year,
        COUNT(CASE WHEN acceptance IN ('accepted', 'partially_accepted', 'not_accepted',
                                       'noted') THEN 1 END)
            AS recommendations,
        COUNT(CASE WHEN acceptance IN ('accepted', 'partially_accepted') THEN 1 END)
            AS accepted,
        COUNT(CASE WHEN acceptance IN ('accepted', 'partially_accepted')
                    AND implementation = 'implemented' THEN 1 END)
            AS implemented
    FROM v_latest_status AS l
    LEFT JOIN reviews AS r ON r.review_symbol = l.review_symbol
    GROUP BY l.agency, r.review_year
)
SELECT
    agency,
    review_year,
    recommendations,
    accepted,
    CAST(accepted AS DOUBLE PRECISION) / NULLIF(recommendations, 0) AS acceptance_rate,
    implemented,
    CAST(implemented AS DOUBLE PRECISION) / NULLIF(accepted, 0) AS implementation_rate
FROM counts
