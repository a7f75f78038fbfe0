// Template: $$TYPE$$ is replaced only by a statement type of the typology (graphkit.typology.
// checked_rel_type) because Cypher cannot take a relationship type as a parameter; one template
// instead of eighteen near-identical files. Everything else is a parameter.
// One relationship per statement id. A statement seen again keeps its first properties and gains the
// new evidence: mention_ids / article_ids grow by the ids not yet listed (in arrival order; readers
// sort them), mentions is their count (or the dataset's own count when the statement has no evidence
// rows, e.g. an imported event).
// $rows: [{id, source, target, mention_ids, article_ids, props: {id, date, date_precision, cameo, ...}}]
UNWIND $rows AS row
MATCH (s:Actor {id: row.source})
MATCH (t:Actor {id: row.target})
MERGE (s)-[r:$$TYPE$$ {id: row.id}]->(t)
ON CREATE SET r += row.props, r.mention_ids = row.mention_ids, r.article_ids = row.article_ids
WITH r, [x IN row.mention_ids WHERE NOT x IN r.mention_ids] AS new_mentions,
     [x IN row.article_ids WHERE NOT x IN r.article_ids] AS new_articles
WHERE size(new_mentions) > 0 OR size(new_articles) > 0
WITH r, r.mention_ids + new_mentions AS mention_ids, r.article_ids + new_articles AS article_ids
SET r.mention_ids = mention_ids, r.article_ids = article_ids, r.mentions = size(mention_ids)
