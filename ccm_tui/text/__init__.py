"""Renderers from domain values to words: babel formatting, event text, agenda and checklist Markdown."""
