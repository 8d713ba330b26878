"""Speaker resolution: mentions to entities, with kinds, roles and citation chains."""

from .speakers import Entity, SpeakerResolver

__all__ = ["Entity", "SpeakerResolver"]
