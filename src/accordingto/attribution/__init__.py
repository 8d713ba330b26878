"""Attribution: cues, their sources and their content, assembled with the quotations."""

from .assemble import Found, assemble
from .cues import Cue, find_cues

__all__ = ["Cue", "Found", "assemble", "find_cues"]
