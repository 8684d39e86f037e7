-- Per (agency, body): the rates of one agency for the recommendations of one oversight body;
-- the flags of v_rate_rows added up (formulas there and in load/views/README.md).
SELECT
    agency,
    body,
    SUM(counted) AS recommendations,
    SUM(accepted) AS accepted,
    CAST(SUM(accepted) AS DOUBLE PRECISION) / NULLIF(SUM(counted), 0) AS acceptance_rate,
    SUM(implemented) AS implemented,
    CAST(SUM(implemented) AS DOUBLE PRECISION) / NULLIF(SUM(accepted), 0) AS implementation_rate
FROM v_rate_rows
GROUP BY agency, body
