"""The package's version and the catalogue format it reads and writes.

A module of its own so that every part of the package can name them without
importing the package's public API (service_catalogue/__init__.py), which
imports those parts.
"""

__version__ = "0.1.0"

# The `apiVersion` of records, and the `format` of catalogue.json and glossary.json.
API_VERSION = "catalogue/v1"
