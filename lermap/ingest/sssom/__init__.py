"""SSSOM mapping sets: the mapping records every alignment in lermap uses, read from and written to SSSOM files."""
