-- One row per ingested file: the state of its data (loaded or failed; a rerun that skips the
-- unchanged file leaves it and sets checked_at), how many records it holds, the doubts met
-- reading it (one per line) and, for a loaded document without records, why.
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
    d.warnings,
    d.note,
    d.ingested_at,
    d.checked_at
FROM documents AS d
