"""The ground floor: the document model and the error type every stage shares.

Takes nothing in and imports nothing of the project: ``extract``, ``normalize`` and ``load``
import these types, and the application (``rectrack``: CLI, pipeline, report, serve) imports
the stages. Arrows run one way, from the application down to here.
"""
