// Template ($$TYPE$$ a checked typology type, as write/statements.cypher): the stored properties of
// the batch's statements of one type that already exist, so that the client can combine them with
// the new tellings (graphkit.store.prepare.merge_rows: the result does not depend on load order).
// $ids: statement ids. Returns props in graphkit.store.prepare.STATEMENT_COLUMNS order.
// columns: id, source, target, type, cameo, quad_class, goldstein, date, date_precision, modality, attribution, location, article_id, sentence, char_start, char_end, rule, confidence, mentions, dataset, extra, date_end, killed, killed_at_least, injured, injured_at_least
UNWIND $ids AS id
MATCH (s:Actor)-[r:$$TYPE$$ {id: id}]->(t:Actor)
RETURN [r.id, s.id, t.id, type(r), r.cameo, r.quad_class, r.goldstein, toString(r.date), r.date_precision,
        r.modality, r.attribution, r.location, r.article_id, r.sentence, r.char_start, r.char_end, r.rule,
        r.confidence, r.mentions, r.dataset, r.extra, toString(r.date_end), r.killed,
        coalesce(r.killed_at_least, false), r.injured, coalesce(r.injured_at_least, false)] AS row
