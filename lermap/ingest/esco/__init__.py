"""ESCO, the European skills, competences, qualifications and occupations classification (bulk CSV download)."""
