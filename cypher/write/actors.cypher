// Actors, merged on id. A registry actor (update = true, provisional = false) replaces what a
// provisional one wrote; a provisional actor or one known only from a statement never overwrites.
// Nothing is written when the stored actor already equals the new one (props carry no nulls, so
// the comparison is exact and `SET a = props` also clears fields the registry no longer has).
// Returns how many actors were created and the ids of those created or changed: only these need
// their kind label set (write/actor_labels.cypher), so a batch of known actors costs no label query.
// $rows: [{id, update, props: {id, name, kind, country?, sector?, aliases, provisional}}]
UNWIND $rows AS row
OPTIONAL MATCH (old:Actor {id: row.id})
WITH row, old IS NULL AS is_new
MERGE (a:Actor {id: row.id})
ON CREATE SET a = row.props
WITH a, row, is_new,
     NOT is_new AND row.update AND (a.provisional OR NOT row.props.provisional) AND properties(a) <> row.props
     AS changed
CALL (a, row, changed) {
  WITH a, row, changed WHERE changed
  SET a = row.props
}
RETURN count(CASE WHEN is_new THEN 1 END) AS created,
       collect(CASE WHEN is_new OR changed THEN a.id END) AS touched
