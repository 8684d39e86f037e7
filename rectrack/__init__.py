"""rectrack: UN agencies' recommendation-status tables into one cross-agency database."""

__version__ = "0.1.0"
