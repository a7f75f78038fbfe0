// After a bulk import (graphkit.store.neo4j_bulk): neo4j-admin stores an empty CSV field as no
// property, but the batched writer gives every actor an `aliases` list and every statement its
// `mention_ids` / `article_ids` lists, empty or not. This makes the imported graph the one the
// batched writer makes. Run once, right after the import (one pass over actors and statements).
CALL () {
  MATCH (a:Actor) WHERE a.aliases IS NULL
  SET a.aliases = []
}
CALL () {
  MATCH ()-[r]->() WHERE r.id IS NOT NULL AND r.mention_ids IS NULL
  SET r.mention_ids = coalesce(r.mention_ids, []), r.article_ids = coalesce(r.article_ids, [])
}
