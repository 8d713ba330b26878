"""Writing analyses: JSON, JSON lines, and the terminal report."""

from .json import to_json, to_jsonl_line
from .report import render_report

__all__ = ["render_report", "to_json", "to_jsonl_line"]
