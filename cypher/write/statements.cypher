// Template: $$TYPE$$ is replaced only by a statement type of the typology (graphkit.typology.
// checked_rel_type) because Cypher cannot take a relationship type as a parameter; one template
// instead of eighteen near-identical files. Everything else is a parameter.
// One relationship per statement id. A statement seen again keeps its first properties and gains the
// new evidence: mention_ids / article_ids are the sorted union, mentions their count (or the
// dataset's own count when the statement has no evidence rows, e.g. an imported event).
// $rows: [{id, source, target, mention_ids, article_ids, props: {id, date, date_precision, cameo, ...}}]
UNWIND $rows AS row
MATCH (s:Actor {id: row.source})
MATCH (t:Actor {id: row.target})
MERGE (s)-[r:$$TYPE$$ {id: row.id}]->(t)
ON CREATE SET r += row.props, r.mention_ids = [], r.article_ids = []
WITH r, row
CALL (r, row) {
  UNWIND r.mention_ids + row.mention_ids AS x
  WITH DISTINCT x ORDER BY x
  RETURN collect(x) AS mention_ids
}
CALL (r, row) {
  UNWIND r.article_ids + row.article_ids AS x
  WITH DISTINCT x ORDER BY x
  RETURN collect(x) AS article_ids
}
SET r.mention_ids = mention_ids, r.article_ids = article_ids,
    r.mentions = CASE WHEN size(mention_ids) > 0 THEN size(mention_ids) ELSE r.mentions END
