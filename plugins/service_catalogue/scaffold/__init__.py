"""Template files that `service-catalogue init` copies into a new catalogue repository.

The files are plain text with `@@NAME@@` placeholders (see scaffolding.py);
their names here carry no leading dot so that they ship in the wheel as
ordinary package data.
"""
