"""Shared kernel: errors, clock, text folding and the audit log."""
