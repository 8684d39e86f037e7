-- Per agency, over v_latest_status; formulas in load/views/README.md (the JIU's definitions):
--   recommendations = acceptance in (accepted, partially_accepted, not_accepted, noted): those
--                     decided on; left out: under_consideration, not_relevant, not_applicable,
--                     unknown
--   accepted        = acceptance in (accepted, partially_accepted)
--   implemented     = accepted and implementation = implemented
--   acceptance_rate = accepted / recommendations; implementation_rate = implemented / accepted
WITH counts AS (
    SELECT
        agency,
        COUNT(CASE WHEN acceptance IN ('accepted', 'partially_accepted', 'not_accepted',
                                       'noted') THEN 1 END)
            AS recommendations,
        COUNT(CASE WHEN acceptance IN ('accepted', 'partially_accepted') THEN 1 END)
            AS accepted,
        COUNT(CASE WHEN acceptance IN ('accepted', 'partially_accepted')
                    AND implementation = 'implemented' THEN 1 END)
            AS implemented
    FROM v_latest_status
    GROUP BY agency
)
SELECT
    agency,
    recommendations,
    accepted,
    CAST(accepted AS DOUBLE PRECISION) / NULLIF(recommendations, 0) AS acceptance_rate,
    implemented,
    CAST(implemented AS DOUBLE PRECISION) / NULLIF(accepted, 0) AS implementation_rate
FROM counts
