"""The ground floor: what every stage shares, importing nothing of the project.

Takes nothing in. Gives the document model and its values (``core.model``: ``Document`` and
its pages, blocks, tables; ``RawRecord``, ``Assessment``, ``ParsedDocument``), the error type
of every stage (``core.errors``), the one loader of knowledge files (``core.datafile``: YAML
checked against a schema, errors naming file, line and key), whitespace folding
(``core.text.fold``) and the file fingerprint (``core.digest``). ``extract``, ``normalize``
and ``load`` import these; the application (``rectrack``) imports the stages. Arrows run one
way, from the application down to here.
"""
