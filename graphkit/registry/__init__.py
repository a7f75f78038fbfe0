"""registry stage: canonical actors, affiliations, dated roles, and mention resolution."""

from .registry import KINDS, Registry, RoleDef, user_actors_dir
from .resolver import ActorMention, DiscourseContext, Resolver

__all__ = ["KINDS", "ActorMention", "DiscourseContext", "Registry", "Resolver", "RoleDef", "user_actors_dir"]
