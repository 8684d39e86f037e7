"""Importing this module warms the parsers up (``rectrack.pipeline.warm_up``).

It is what a Dask worker's fork server preloads (``rectrack.cluster.PRELOAD``): a fork server
imports the modules it is given once, and every job's child is forked from it with the
imports and caches (catalog, vocabularies, spaCy matchers) already built, as the local pool's
children inherit them from the warmed-up ``rectrack run`` process.
"""

from rectrack.pipeline import warm_up

warm_up()
