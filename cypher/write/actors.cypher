// Actors, merged on id. A registry actor (update = true, provisional = false) replaces what a
// provisional one wrote; a provisional actor or one known only from a statement never overwrites.
// Nothing is written when the stored actor already equals the new one (props carry no nulls, so
// the comparison is exact and `SET a = props` also clears fields the registry no longer has).
// $rows: [{id, update, props: {id, name, kind, country?, sector?, aliases, provisional}}]
UNWIND $rows AS row
MERGE (a:Actor {id: row.id})
ON CREATE SET a = row.props
WITH a, row
WHERE row.update AND (a.provisional OR NOT row.props.provisional) AND properties(a) <> row.props
SET a = row.props
