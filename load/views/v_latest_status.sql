-- Per (agency, review_symbol, rec_id): the row from the newest document of that agency that
-- mentions it. Newest = the latest edition (v_editions: by as_of, a null as_of counting as
-- oldest, then by ingestion). Within one edition (a report's PDF and DOCX) the PDF wins, whose
-- rows carry pages, then the file name: the same rows whichever file a run stored first.
WITH ranked AS (
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
        a.recognizer,
        ROW_NUMBER() OVER (
            PARTITION BY d.agency, a.review_symbol, a.rec_id
            ORDER BY e.edition DESC, CASE WHEN d.format = 'pdf' THEN 0 ELSE 1 END, d.source_file
        ) AS newest_first
    FROM assessments AS a
    JOIN documents AS d ON d.id = a.document_id
    JOIN v_editions AS e ON e.document_id = d.id
    WHERE d.status = 'loaded'
)
SELECT
    agency,
    document_symbol,
    as_of,
    source_file,
    page,
    body,
    review_symbol,
    review_title,
    rec_id,
    rec_number,
    rec_text,
    rec_text_raw,
    addressee,
    acceptance,
    acceptance_raw,
    implementation,
    implementation_raw,
    previous_implementation,
    completed_year,
    deadline,
    responsible,
    comment,
    status_page,
    recognizer
FROM ranked
WHERE newest_first = 1
