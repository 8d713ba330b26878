"""Quotation marks, cues and the language data they use."""
