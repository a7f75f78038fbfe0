// All statements matching a filter, oldest first (undated last), with their evidence.
// $since, $until: dates or null; $actors, $types, $modalities, $datasets: lists (empty = all);
// $folded: also the reports folded into another event (graphkit.store.folding).
MATCH (s:Actor)-[r]->(t:Actor)
WHERE r.id IS NOT NULL AND ($folded OR r.folded_into IS NULL)
  AND ($since IS NULL OR r.date >= $since) AND ($until IS NULL OR r.date <= $until)
  AND (size($types) = 0 OR type(r) IN $types)
  AND (size($modalities) = 0 OR r.modality IN $modalities)
  AND (size($datasets) = 0 OR r.dataset IN $datasets)
  AND (size($actors) = 0 OR s.id IN $actors OR t.id IN $actors)
CALL (r) {
  OPTIONAL MATCH (m:Mention) WHERE m.id IN r.mention_ids + CASE WHEN $folded THEN [] ELSE coalesce(r.folded_mention_ids, []) END
  RETURN collect(m {.*}) AS evidence
}
RETURN s {.id, .name, .kind, .country} AS source, t {.id, .name, .kind, .country} AS target,
       type(r) AS type, properties(r) AS props, evidence
ORDER BY r.date, r.id
