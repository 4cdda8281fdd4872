"""service-catalogue: an ITIL-aligned service catalogue kept as code.

The core (loading, validation, the linked model, rendering) knows nothing of
MkDocs; the MkDocs plugin and the command line are thin adapters over it.
"""

from service_catalogue.kinds import KIND_NAMES as KINDS  # the names of the kinds; their facts are in kinds.py

__version__ = "0.1.0"

API_VERSION = "catalogue/v1"
