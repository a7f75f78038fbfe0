// How many statements of one type: answered from Neo4j's count store, not by a scan.
// Template: $$TYPE$$ is a checked typology type (graphkit.typology.checked_rel_type).
MATCH ()-[r:$$TYPE$$]->()
RETURN count(r) AS n
