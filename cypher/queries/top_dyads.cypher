// The most hostile (or most cooperative) directed dyads by summed Goldstein score in a date window
// Parameters: $order "hostile" (sum < 0, most negative first) or "cooperative" (sum > 0, highest first);
// $since, $until dates or null; $limit rows. Counts asserted and claimed statements only
// (store.base.COUNTED_MODALITIES): denials, plans and hypotheticals are not events.
MATCH (s:Actor)-[r]->(t:Actor)
WHERE r.id IS NOT NULL AND r.modality IN ['asserted', 'claimed'] AND r.folded_into IS NULL
  AND ($since IS NULL OR r.date >= $since) AND ($until IS NULL OR r.date <= $until)
WITH s, t, count(r) AS statements,
     count(CASE WHEN r.quad_class IN [3, 4] THEN 1 END) AS conflict,
     count(CASE WHEN r.quad_class IN [1, 2] THEN 1 END) AS cooperation,
     sum(r.goldstein) AS goldstein_sum, avg(r.goldstein) AS goldstein_mean
WHERE ($order = 'hostile' AND goldstein_sum < 0) OR ($order = 'cooperative' AND goldstein_sum > 0)
RETURN s.id AS source, s.name AS source_name, t.id AS target, t.name AS target_name, statements, conflict,
       cooperation, goldstein_sum, goldstein_mean
ORDER BY CASE WHEN $order = 'hostile' THEN goldstein_sum ELSE -goldstein_sum END, statements DESC, source, target
LIMIT $limit
