"""rectrack: UN agencies' recommendation-status tables into one cross-agency database.

The application, on top of the stages: it takes the command line (``rectrack.cli``) or a
library caller's :class:`rectrack.config.RunConfig` (built once, passed down; nothing below
the CLI reads the environment) and gives the database, the run summary and exit code, and
the views to read it with (``export``, ``serve``: Datasette, ``report``: a static HTML page
with charts). ``rectrack.pipeline.run`` chains extract -> normalize -> load with each file
parsed in an isolated worker (``rectrack.isolate``). Imports ``extract``, ``normalize``,
``load`` and ``core``; nothing imports it.
"""

__version__ = "0.1.0"
