"""Credentials of the Verifiable Credentials family: Open Badges 2.0 / 3.0, CLR 2.0, plain VC, VC-JWT, baked badges,
Europass ELM and HR Open LER-RS, with offline proof checking (``proofs/``)."""
