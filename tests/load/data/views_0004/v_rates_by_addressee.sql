-- Per (agency, addressee): v_rates split by whom the recommendation is addressed to.
SELECT
    agency,
    addressee,
    SUM(counted) AS recommendations,
    SUM(accepted) AS accepted,
    CAST(SUM(accepted) AS DOUBLE PRECISION) / NULLIF(SUM(counted), 0) AS acceptance_rate,
    SUM(implemented) AS implemented,
    CAST(SUM(implemented) AS DOUBLE PRECISION) / NULLIF(SUM(accepted), 0) AS implementation_rate
FROM v_rate_rows
GROUP BY agency, addressee
