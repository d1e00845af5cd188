"""Writers of DOCX, ODT and Markdown files from one block model, for sheets and catalogues.

Public surface: `blocks` (the model and `DocMeta`), `docx_writer.build_docx`,
`odt_writer.build_odt`, `markdown_writer.build_markdown`; no database, no Flask.
"""
