"""CTDL and CTDL-ASN from the Credential Registry: credentials, organisations, learning opportunities, pathways,
competency frameworks."""
