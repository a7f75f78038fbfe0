// Template ($$TYPE$$ a checked typology type): set the properties of statements told again to what
// all their tellings give together (computed by graphkit.store.prepare.merge_rows). Evidence and the
// mention count are left to write/statements.cypher.
// $rows: positional lists in graphkit.store.prepare.STATEMENT_COLUMNS order.
// columns: id, source, target, type, cameo, quad_class, goldstein, date, date_precision, modality, attribution, location, article_id, sentence, char_start, char_end, rule, confidence, mentions, dataset, extra, date_end, killed, killed_at_least, injured, injured_at_least
UNWIND $rows AS row
MATCH ()-[r:$$TYPE$$ {id: row[0]}]->()
SET r.cameo = row[4], r.quad_class = row[5], r.goldstein = row[6], r.date = date(row[7]),
    r.date_precision = row[8], r.modality = row[9], r.attribution = row[10], r.location = row[11],
    r.article_id = row[12], r.sentence = row[13], r.char_start = row[14], r.char_end = row[15],
    r.rule = row[16], r.confidence = row[17], r.extra = row[20], r.date_end = date(row[21]),
    r.killed = row[22], r.killed_at_least = row[23], r.injured = row[24], r.injured_at_least = row[25]
