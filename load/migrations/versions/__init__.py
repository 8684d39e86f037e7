"""Revisions, oldest first: 0001 tables, 0002 reviews + view_definitions, 0003 editions
(view_definitions ensured), 0004 documents.mtime_ns, 0005 rec_id, body, raw records, the data's
state. Views are created at the head revision only, from the current ``.sql`` files."""
