// Template ($$TYPE$$ a checked typology type): set the properties of statements told again to what
// all their tellings give together (computed by graphkit.store.prepare.merge_rows). Evidence and the
// mention count are left to write/statements.cypher.
// $rows: positional lists in graphkit.store.prepare.STATEMENT_COLUMNS order.
// columns: id, source, target, type, cameo, quad_class, goldstein, date, date_precision, modality, attribution, location, article_id, sentence, char_start, char_end, rule, confidence, record_id, source_text, source_start, source_end, target_text, target_start, target_end, mentions, dataset, extra, date_end, killed, killed_at_least, injured, injured_at_least, place_name, place_feature, place_precision, place_country, place_admin1, place_admin2, latitude, longitude, geonames_id, place_source
UNWIND $rows AS row
MATCH ()-[r:$$TYPE$$ {id: row[0]}]->()
SET r.cameo = row[4], r.quad_class = row[5], r.goldstein = row[6], r.date = date(row[7]),
    r.date_precision = row[8], r.modality = row[9], r.attribution = row[10], r.location = row[11],
    r.article_id = row[12], r.sentence = row[13], r.char_start = row[14], r.char_end = row[15],
    r.rule = row[16], r.confidence = row[17], r.record_id = row[18], r.source_text = row[19],
    r.source_start = row[20], r.source_end = row[21], r.target_text = row[22], r.target_start = row[23],
    r.target_end = row[24], r.extra = row[27], r.date_end = date(row[28]), r.killed = row[29],
    r.killed_at_least = row[30], r.injured = row[31], r.injured_at_least = row[32],
    r.place_name = row[33], r.place_feature = row[34], r.place_precision = row[35],
    r.place_country = row[36], r.place_admin1 = row[37], r.place_admin2 = row[38], r.latitude = row[39],
    r.longitude = row[40], r.geonames_id = row[41], r.place_source = row[42],
    r.point = CASE WHEN row[39] IS NULL OR row[40] IS NULL THEN null
                   ELSE point({latitude: row[39], longitude: row[40]}) END
