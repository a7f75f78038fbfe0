// Template ($$TYPE$$ a checked typology type, as write/statements.cypher): the stored properties of
// the batch's statements of one type that already exist, so that the client can combine them with
// the new tellings (graphkit.store.prepare.merge_rows: the result does not depend on load order).
// $ids: statement ids. Returns props in graphkit.store.prepare.STATEMENT_COLUMNS order.
// columns: id, source, target, type, cameo, quad_class, goldstein, date, date_precision, modality, attribution, location, article_id, sentence, char_start, char_end, rule, confidence, record_id, source_text, source_start, source_end, target_text, target_start, target_end, mentions, dataset, extra, date_end, killed, killed_at_least, injured, injured_at_least, place_name, place_feature, place_precision, place_country, place_admin1, place_admin2, latitude, longitude, geonames_id, place_source
UNWIND $ids AS id
MATCH (s:Actor)-[r:$$TYPE$$ {id: id}]->(t:Actor)
WITH r, s, t, properties(r) AS p  // a map: properties no statement has yet (killed) read as null, unflagged
RETURN [p.id, s.id, t.id, type(r), p.cameo, p.quad_class, p.goldstein, toString(p.date),
        p.date_precision, p.modality, p.attribution, p.location, p.article_id, p.sentence, p.char_start,
        p.char_end, p.rule, p.confidence, p.record_id, p.source_text, p.source_start, p.source_end,
        p.target_text, p.target_start, p.target_end, p.mentions, p.dataset, p.extra,
        toString(p.date_end), p.killed, coalesce(p.killed_at_least, false), p.injured,
        coalesce(p.injured_at_least, false), p.place_name, p.place_feature, p.place_precision,
        p.place_country, p.place_admin1, p.place_admin2, p.latitude, p.longitude, p.geonames_id,
        p.place_source] AS row
