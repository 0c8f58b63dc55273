"""Enrichment: stages that add what sbu knows about each new mention (topic matches today)."""
