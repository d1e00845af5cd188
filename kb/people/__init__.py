"""The directory of allies: people and organisations, the evidence of their work in the base
(sheets, documents, catalogues, dossiers), territories, directory search, privacy, exports."""
