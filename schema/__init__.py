"""The JSON Schemas of the catalogue format (Draft 2020-12), one per kind of record.

They live here, at the top of the repository, for authors and editors; the package ships them
as the data package `service_catalogue.json_schemas`, read with importlib.resources.
"""
