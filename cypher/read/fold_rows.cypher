// The statements of these dyads that graphkit.store.folding reads to decide which reports are one
// event, with their own evidence ids and current fold: only rows with another row of their dyad
// (either direction) and type, since a statement alone in its group cannot fold.
// $dyads: [source id, target id] pairs, each pair once (the caller lists both directions).
// Properties a fresh graph may not have yet are read as r['key'].
UNWIND $dyads AS d
MATCH (s:Actor {id: d[0]})-[r]->(t:Actor {id: d[1]})
WHERE r.id IS NOT NULL AND r.dataset = 'graphkit'
WITH CASE WHEN s.id < t.id THEN [s.id, t.id] ELSE [t.id, s.id] END AS pair, type(r) AS type,
     collect([r, s.id, t.id]) AS group
WHERE size(group) > 1
UNWIND group AS x
WITH x[0] AS r, x[1] AS source, x[2] AS target, type
RETURN r.id AS id, source, target, type, r.modality AS modality,
       r.dataset AS dataset, r.article_id AS article_id, toString(r.date) AS date,
       r.date_precision AS date_precision, toString(r['date_end']) AS date_end, r['location'] AS location,
       r['place_precision'] AS place_precision, r['place_country'] AS place_country,
       r['place_admin1'] AS place_admin1, r['geonames_id'] AS geonames_id, r['place_source'] AS place_source, r['folded_into'] AS folded_into,
       r.mentions AS mentions, r.mention_ids AS mention_ids, r['folded_mention_ids'] AS folded_mention_ids
