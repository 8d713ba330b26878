"""Speaker resolution: mentions to entities, with kinds, roles and citation chains."""

from .speakers import Entity, Resolver

__all__ = ["Entity", "Resolver"]
