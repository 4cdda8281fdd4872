"""Validation: records read with their positions, checked against the JSON Schemas and across
records, every problem located.

    loader      YAML files to records, with a position for every node and hard limits
    yaml_hints  YAML syntax errors told in plain words
    schemas     the JSON Schemas, compiled; their errors explained
    references  which field names which kind of record
    checks      what a schema cannot say: references, ids, cycles, dates, time zones
    problems    Problem and Location: what is wrong, and where
    folder      validate_folder: the stage as a whole
"""
