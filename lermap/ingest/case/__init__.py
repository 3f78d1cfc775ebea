"""IMS CASE competency frameworks: CFPackage JSON, OpenSALT CSV, and fetching from a CASE provider's API."""
