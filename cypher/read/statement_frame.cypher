// The columns analyses read (graphkit.analysis.frame.CORE_COLUMNS), one row per statement, no evidence:
// the fast path to a pandas frame (Store.statement_frame). Same filter parameters as read/statements;
// $more: the other statement properties asked for (checked against the Statement fields by the caller).
MATCH (s:Actor)-[r]->(t:Actor)
WHERE r.id IS NOT NULL AND ($folded OR r.folded_into IS NULL)
  AND ($since IS NULL OR r.date >= $since) AND ($until IS NULL OR r.date <= $until)
  AND (size($types) = 0 OR type(r) IN $types)
  AND (size($modalities) = 0 OR r.modality IN $modalities)
  AND (size($datasets) = 0 OR r.dataset IN $datasets)
  AND (size($actors) = 0 OR s.id IN $actors OR t.id IN $actors)
RETURN r.id AS id, s.id AS source, t.id AS target, s.name AS source_name, t.name AS target_name,
       s.country AS source_country, t.country AS target_country, type(r) AS type, r.quad_class AS quad_class,
       r.goldstein AS goldstein, toString(r.date) AS date, r.modality AS modality, r.dataset AS dataset,
       r.mentions AS mentions, r.article_id AS article_id, r.sentence AS sentence,
       r.date_precision AS date_precision, r.killed AS killed, r.injured AS injured,
       s.kind AS source_kind, t.kind AS target_kind, [c IN $more | r[c]] AS more
