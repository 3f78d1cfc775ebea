"""Storage, vocabularies, JSON-LD contexts, SPARQL files and SHACL shapes."""
