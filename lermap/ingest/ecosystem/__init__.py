"""The LER ecosystem itself: the LER Ecosystem Map site data, the DCC issuer registry, the curated directory."""
