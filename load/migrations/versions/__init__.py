"""Revisions, oldest first: 0001 tables + contract views, 0002 reviews + analysis views,
0003 editions (view_definitions ensured, views recreated), 0004 documents.mtime_ns."""
