// Template: $$TYPE$$ is replaced only by a statement type of the typology (graphkit.typology.
// checked_rel_type) because Cypher cannot take a relationship type as a parameter; one template
// instead of eighteen near-identical files. Everything else is a parameter.
// One relationship per statement id. A statement seen again keeps its first properties and gains the
// new evidence: mention_ids / article_ids grow by the ids not yet listed (in arrival order; readers
// sort them), mentions is their count; for an imported dataset (dataset <> 'graphkit') the dataset's
// own count (e.g. GDELT NumMentions) is kept when it is larger.
// The statement's mentions are merged in the same pass: one (:Mention) per evidence row, linked
// -[:IN]->(:Article) when the article is stored (else when it arrives, see articles.cypher).
// Returns how many statement relationships were new (the counters also count IN edges).
// $rows: [{id, source, target, mention_ids, article_ids, props: {id, date, date_precision, cameo, ...},
//          evidence: [{id, article_id, sentence, char_start, char_end, rule, confidence}]}]
UNWIND $rows AS row
MATCH (s:Actor {id: row.source})
MATCH (t:Actor {id: row.target})
OPTIONAL MATCH (s)-[old:$$TYPE$$ {id: row.id}]->(t)
WITH s, t, row, old IS NULL AS is_new
MERGE (s)-[r:$$TYPE$$ {id: row.id}]->(t)
ON CREATE SET r += row.props, r.mention_ids = row.mention_ids, r.article_ids = row.article_ids
WITH r, row, is_new, [x IN row.mention_ids WHERE NOT x IN r.mention_ids] AS new_mentions,
     [x IN row.article_ids WHERE NOT x IN r.article_ids] AS new_articles
CALL (r, new_mentions, new_articles) {
  WITH r, new_mentions, new_articles WHERE size(new_mentions) > 0 OR size(new_articles) > 0
  WITH r, r.mention_ids + new_mentions AS mention_ids, r.article_ids + new_articles AS article_ids
  SET r.mention_ids = mention_ids, r.article_ids = article_ids,
      r.mentions = CASE WHEN coalesce(r.dataset, 'graphkit') <> 'graphkit' AND r.mentions > size(mention_ids)
                        THEN r.mentions ELSE size(mention_ids) END
}
CALL (row) {
  UNWIND row.evidence AS mention
  MERGE (m:Mention {id: mention.id})
  ON CREATE SET m += mention, m.statement_id = row.id, m.source = row.source, m.target = row.target
  WITH m, mention
  MATCH (a:Article {id: mention.article_id})
  MERGE (m)-[:IN]->(a)
}
RETURN count(CASE WHEN is_new THEN 1 END) AS added
