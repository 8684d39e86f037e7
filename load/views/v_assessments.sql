-- One row per (source document, recommendation): every assessment of every loaded document.
-- rec_text is the text as people read it (line breaks joined); rec_text_raw as printed.
SELECT
    d.agency,
    d.document_symbol,
    d.as_of,
    d.source_file,
    a.page,
    a.body,
    a.review_symbol,
    a.review_title,
    a.rec_id,
    a.rec_number,
    a.rec_text,
    a.rec_text_raw,
    a.addressee,
    a.acceptance,
    a.acceptance_raw,
    a.implementation,
    a.implementation_raw,
    a.previous_implementation,
    a.completed_year,
    a.deadline,
    a.responsible,
    a.comment,
    a.status_page,
    a.recognizer
FROM assessments AS a
JOIN documents AS d ON d.id = a.document_id
WHERE d.status = 'loaded'
