-- One row per ingested file, with its fate in the latest run and how many records it holds.
SELECT
    d.source_file,
    d.sha256,
    d.agency,
    d.document_symbol,
    d.as_of,
    d.format,
    d.pages,
    d.status,
    d.error,
    (SELECT COUNT(*) FROM assessments AS a WHERE a.document_id = d.id) AS records,
    d.ingested_at
FROM documents AS d
