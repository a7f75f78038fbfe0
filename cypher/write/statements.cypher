// Template: $$TYPE$$ is replaced only by a statement type of the typology (graphkit.typology.
// checked_rel_type) because Cypher cannot take a relationship type as a parameter; one template
// instead of eighteen near-identical files. Everything else is a parameter.
// One relationship per statement id. A statement seen again gains the new evidence here (its other
// properties are set by write/statement_merge.cypher, to what all its tellings give together): mention_ids / article_ids grow by the ids not yet listed (in arrival order; readers
// sort them), mentions is their count; for an imported dataset (dataset <> 'graphkit') the dataset's
// own count (e.g. GDELT NumMentions) is kept when it is larger.
// This query creates nothing but statement relationships, so the summary's relationships_created is
// the number of new statements (the evidence nodes are merged by write/mentions.cypher).
// The WHERE after MERGE passes only statements seen before that gain evidence: a new relationship
// already holds all of its mention_ids, so the common first-load row ends at the filter.
// $rows: one list per statement, positional (no map keys to encode and decode per row: a load sends
// 100,000s of rows), in graphkit.store.prepare.STATEMENT_COLUMNS order then mention_ids, article_ids;
// date is ISO text; point: the WGS-84 point of latitude/longitude (for point.distance and
// point.withinBBox), null without coordinates. tests/test_store_misc.py checks this header against STATEMENT_COLUMNS.
// columns: id, source, target, type, cameo, quad_class, goldstein, date, date_precision, modality, attribution, location, article_id, sentence, char_start, char_end, rule, confidence, record_id, source_text, source_start, source_end, target_text, target_start, target_end, mentions, dataset, extra, date_end, killed, killed_at_least, injured, injured_at_least, place_name, place_feature, place_precision, place_country, place_admin1, place_admin2, latitude, longitude, geonames_id, place_source, mention_ids, article_ids
UNWIND $rows AS row
MATCH (s:Actor {id: row[1]})
MATCH (t:Actor {id: row[2]})
MERGE (s)-[r:$$TYPE$$ {id: row[0]}]->(t)
ON CREATE SET r.cameo = row[4], r.quad_class = row[5], r.goldstein = row[6], r.date = date(row[7]),
              r.date_precision = row[8], r.modality = row[9], r.attribution = row[10], r.location = row[11],
              r.article_id = row[12], r.sentence = row[13], r.char_start = row[14], r.char_end = row[15],
              r.rule = row[16], r.confidence = row[17], r.record_id = row[18], r.source_text = row[19],
              r.source_start = row[20], r.source_end = row[21], r.target_text = row[22],
              r.target_start = row[23], r.target_end = row[24], r.mentions = row[25], r.dataset = row[26],
              r.extra = row[27], r.date_end = date(row[28]), r.killed = row[29], r.killed_at_least = row[30],
              r.injured = row[31], r.injured_at_least = row[32], r.place_name = row[33], r.place_feature = row[34], r.place_precision = row[35],
              r.place_country = row[36], r.place_admin1 = row[37], r.place_admin2 = row[38], r.latitude = row[39],
              r.longitude = row[40], r.geonames_id = row[41], r.place_source = row[42],
              r.point = CASE WHEN row[39] IS NULL OR row[40] IS NULL THEN null
                             ELSE point({latitude: row[39], longitude: row[40]}) END,
              r.mention_ids = row[43], r.article_ids = row[44]
WITH r, row[43] AS new_mention_ids, row[44] AS new_article_ids
WHERE any(x IN new_mention_ids WHERE NOT x IN r.mention_ids)
   OR any(x IN new_article_ids WHERE NOT x IN r.article_ids)
WITH r, r.mention_ids + [x IN new_mention_ids WHERE NOT x IN r.mention_ids] AS mention_ids,
     r.article_ids + [x IN new_article_ids WHERE NOT x IN r.article_ids] AS article_ids
SET r.mention_ids = mention_ids, r.article_ids = article_ids,
    r.mentions = CASE WHEN coalesce(r.dataset, 'graphkit') <> 'graphkit' AND r.mentions > size(mention_ids)
                      THEN r.mentions ELSE size(mention_ids) END
