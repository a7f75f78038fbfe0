"""registry stage: canonical actors, affiliations, dated roles, and mention resolution."""

from .files import user_actors_dir
from .registry import KINDS, Registry, RoleDef
from .resolver import ActorMention, DiscourseContext, Resolver

__all__ = ["KINDS", "ActorMention", "DiscourseContext", "Registry", "Resolver", "RoleDef", "user_actors_dir"]
