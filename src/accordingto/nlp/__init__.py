"""spaCy loading and the text the parser sees."""

from .load import load_base_pipeline, load_pipeline, pipeline_name
from .normalize import parse_text

__all__ = ["load_base_pipeline", "load_pipeline", "parse_text", "pipeline_name"]
