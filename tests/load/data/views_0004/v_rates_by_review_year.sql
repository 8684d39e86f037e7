-- Per (agency, review_year): v_rates split by the year in the review's symbol
-- (JIU/REP/2020/8 -> 2020; null for symbols without a year).
SELECT
    f.agency,
    r.review_year,
    SUM(counted) AS recommendations,
    SUM(accepted) AS accepted,
    CAST(SUM(accepted) AS DOUBLE PRECISION) / NULLIF(SUM(counted), 0) AS acceptance_rate,
    SUM(implemented) AS implemented,
    CAST(SUM(implemented) AS DOUBLE PRECISION) / NULLIF(SUM(accepted), 0) AS implementation_rate
FROM v_rate_rows AS f
LEFT JOIN reviews AS r ON r.review_symbol = f.review_symbol
GROUP BY f.agency, r.review_year
