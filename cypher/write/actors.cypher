// Actors, merged on id. A registry actor (update = true, provisional = false) replaces what a
// provisional one wrote; a provisional actor or one known only from a statement never overwrites.
// $rows: [{id, update, props: {id, name, kind, country, sector, aliases, provisional}}]
UNWIND $rows AS row
MERGE (a:Actor {id: row.id})
ON CREATE SET a += row.props
ON MATCH SET a += CASE WHEN row.update AND (a.provisional OR NOT row.props.provisional) THEN row.props ELSE {} END
