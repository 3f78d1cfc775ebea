"""Descriptions of datasets (what a graph is built from): name, publisher, version, licence, attribution, checksum."""
