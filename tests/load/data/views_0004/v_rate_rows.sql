-- One row per recommendation of v_latest_status with the 0/1 flags the rate views add up, so
-- every rate can be traced to the rows (and the source file and page) behind it. The formulas
-- live here only (load/views/README.md, the JIU's definitions):
--   recommendations = acceptance in (accepted, partially_accepted, not_accepted, noted): those
--                     decided on; left out: under_consideration, not_relevant, not_applicable,
--                     unknown
--   accepted        = acceptance in (accepted, partially_accepted)
--   implemented     = accepted and implementation = implemented
--   acceptance_rate = accepted / recommendations; implementation_rate = implemented / accepted
SELECT
    agency,
    review_symbol,
    rec_number,
    addressee,
    acceptance,
    implementation,
    source_file,
    page,
    CASE WHEN acceptance IN ('accepted', 'partially_accepted', 'not_accepted', 'noted')
         THEN 1 ELSE 0 END AS counted,
    CASE WHEN acceptance IN ('accepted', 'partially_accepted') THEN 1 ELSE 0 END AS accepted,
    CASE WHEN acceptance IN ('accepted', 'partially_accepted') AND implementation = 'implemented'
         THEN 1 ELSE 0 END AS implemented
FROM v_latest_status
