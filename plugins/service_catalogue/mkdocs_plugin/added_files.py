"""The files the plugin adds to a build, as the plugins around it see them.

MkDocs makes a generated file with no source path (`File.generated` with
content), and the plugins that run after this one's on_files read that path:

- mkdocs-static-i18n sorts the files by whether their source lies in docs_dir
  (and stops the build on one that has none), and replaces each file of
  docs_dir with a File of its own, at the place of the language being built:
  its copy keeps the source and the destination, but not the content, the edit
  link or the generating plugin.
- mkdocs-git-revision-date-localized dates a generated page by the clock, and
  any other page by the last commit of its source file.

So, while the other plugins sort the files, each file added stands at the place
it stands for in docs_dir; once they are done (`settle`, at an on_files priority
after theirs), each file of ours, or the copy another plugin put in its place,
gets back its content, its edit link and its real source. A record page's real
source is its YAML file: it is no generated page to git, and a plugin that asks
git about the page asks about the record.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from mkdocs.structure.files import File, Files


@dataclass
class AddedFiles:
    """The files this plugin added to one build, and where each really comes from."""

    files: dict[str, File]  # src_uri -> the File this plugin made
    # src_uri -> the real source path: a record page's YAML file, a bundled asset's file,
    # None for a file made from content
    sources: dict[str, str | None]
    # src_uri of the record pages (their source is a file under version control)
    records: frozenset[str] = frozenset()
    # Another plugin put the pages elsewhere (mkdocs-static-i18n: under a language's folder)
    moved: bool = field(default=False, init=False)

    @classmethod
    def show(cls, added: list[File], docs_dir: str, record_sources: dict[str, str]) -> AddedFiles:
        """Put each added file made from content at the place it stands for in docs_dir,
        for the plugins that sort files by their source path; record_sources: src_uri ->
        the record's YAML file, of the record pages."""
        sources: dict[str, str | None] = {}
        for file in added:
            sources[file.src_uri] = record_sources.get(file.src_uri, file.abs_src_path)
            if file.abs_src_path is None:
                file.abs_src_path = os.path.normpath(os.path.join(docs_dir, file.src_uri))
        return cls({file.src_uri: file for file in added}, sources, frozenset(record_sources))

    def settle(self, files: Files) -> None:
        """Give each file of ours, or another plugin's copy in its place, its content,
        edit link and real source back."""
        for file in files:
            mine = self.files.get(file.src_uri)
            if mine is None:
                continue
            source = self.sources[file.src_uri]
            made_from_content = source is None or file.src_uri in self.records
            if file is not mine:
                if file.dest_uri != mine.dest_uri:
                    self.moved = True
                if made_from_content:
                    file.content_bytes = mine.content_bytes
                file.edit_uri = mine.edit_uri
            file.abs_src_path = source
            # A record page comes from a file that git knows: it is not generated to the
            # plugins that date pages, and its edit link is set (on_pre_build).
            file.generated_by = None if file.src_uri in self.records else mine.generated_by
