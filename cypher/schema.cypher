// graphkit schema: applied by Store.ensure_schema() (graphkit load runs it); every statement is
// idempotent (IF NOT EXISTS).  Statement ids are unique per relationship type: Neo4j 5 community
// supports relationship uniqueness constraints, but only per type, so there is one per typology type
// (tests/test_store_contract.py checks that every type in data/typology.toml has its line here).
CREATE CONSTRAINT actor_id IF NOT EXISTS FOR (a:Actor) REQUIRE a.id IS UNIQUE;
CREATE CONSTRAINT article_id IF NOT EXISTS FOR (a:Article) REQUIRE a.id IS UNIQUE;
CREATE CONSTRAINT mention_id IF NOT EXISTS FOR (m:Mention) REQUIRE m.id IS UNIQUE;
CREATE INDEX actor_name IF NOT EXISTS FOR (a:Actor) ON (a.name);
CREATE INDEX actor_kind IF NOT EXISTS FOR (a:Actor) ON (a.kind);
CREATE INDEX mention_article IF NOT EXISTS FOR (m:Mention) ON (m.article_id);
CREATE INDEX mention_statement IF NOT EXISTS FOR (m:Mention) ON (m.statement_id);
CREATE INDEX article_published IF NOT EXISTS FOR (a:Article) ON (a.published);
CREATE CONSTRAINT statement_agree_id IF NOT EXISTS FOR ()-[r:AGREE]-() REQUIRE r.id IS UNIQUE;
CREATE INDEX statement_agree_date IF NOT EXISTS FOR ()-[r:AGREE]-() ON (r.date);
CREATE CONSTRAINT statement_consult_id IF NOT EXISTS FOR ()-[r:CONSULT]-() REQUIRE r.id IS UNIQUE;
CREATE INDEX statement_consult_date IF NOT EXISTS FOR ()-[r:CONSULT]-() ON (r.date);
CREATE CONSTRAINT statement_support_id IF NOT EXISTS FOR ()-[r:SUPPORT]-() REQUIRE r.id IS UNIQUE;
CREATE INDEX statement_support_date IF NOT EXISTS FOR ()-[r:SUPPORT]-() ON (r.date);
CREATE CONSTRAINT statement_concede_id IF NOT EXISTS FOR ()-[r:CONCEDE]-() REQUIRE r.id IS UNIQUE;
CREATE INDEX statement_concede_date IF NOT EXISTS FOR ()-[r:CONCEDE]-() ON (r.date);
CREATE CONSTRAINT statement_cooperate_id IF NOT EXISTS FOR ()-[r:COOPERATE]-() REQUIRE r.id IS UNIQUE;
CREATE INDEX statement_cooperate_date IF NOT EXISTS FOR ()-[r:COOPERATE]-() ON (r.date);
CREATE CONSTRAINT statement_aid_id IF NOT EXISTS FOR ()-[r:AID]-() REQUIRE r.id IS UNIQUE;
CREATE INDEX statement_aid_date IF NOT EXISTS FOR ()-[r:AID]-() ON (r.date);
CREATE CONSTRAINT statement_retreat_id IF NOT EXISTS FOR ()-[r:RETREAT]-() REQUIRE r.id IS UNIQUE;
CREATE INDEX statement_retreat_date IF NOT EXISTS FOR ()-[r:RETREAT]-() ON (r.date);
CREATE CONSTRAINT statement_request_id IF NOT EXISTS FOR ()-[r:REQUEST]-() REQUIRE r.id IS UNIQUE;
CREATE INDEX statement_request_date IF NOT EXISTS FOR ()-[r:REQUEST]-() ON (r.date);
CREATE CONSTRAINT statement_accuse_id IF NOT EXISTS FOR ()-[r:ACCUSE]-() REQUIRE r.id IS UNIQUE;
CREATE INDEX statement_accuse_date IF NOT EXISTS FOR ()-[r:ACCUSE]-() ON (r.date);
CREATE CONSTRAINT statement_reject_id IF NOT EXISTS FOR ()-[r:REJECT]-() REQUIRE r.id IS UNIQUE;
CREATE INDEX statement_reject_date IF NOT EXISTS FOR ()-[r:REJECT]-() ON (r.date);
CREATE CONSTRAINT statement_threaten_id IF NOT EXISTS FOR ()-[r:THREATEN]-() REQUIRE r.id IS UNIQUE;
CREATE INDEX statement_threaten_date IF NOT EXISTS FOR ()-[r:THREATEN]-() ON (r.date);
CREATE CONSTRAINT statement_protest_id IF NOT EXISTS FOR ()-[r:PROTEST]-() REQUIRE r.id IS UNIQUE;
CREATE INDEX statement_protest_date IF NOT EXISTS FOR ()-[r:PROTEST]-() ON (r.date);
CREATE CONSTRAINT statement_sanction_id IF NOT EXISTS FOR ()-[r:SANCTION]-() REQUIRE r.id IS UNIQUE;
CREATE INDEX statement_sanction_date IF NOT EXISTS FOR ()-[r:SANCTION]-() ON (r.date);
CREATE CONSTRAINT statement_mobilize_id IF NOT EXISTS FOR ()-[r:MOBILIZE]-() REQUIRE r.id IS UNIQUE;
CREATE INDEX statement_mobilize_date IF NOT EXISTS FOR ()-[r:MOBILIZE]-() ON (r.date);
CREATE CONSTRAINT statement_coerce_id IF NOT EXISTS FOR ()-[r:COERCE]-() REQUIRE r.id IS UNIQUE;
CREATE INDEX statement_coerce_date IF NOT EXISTS FOR ()-[r:COERCE]-() ON (r.date);
CREATE CONSTRAINT statement_assault_id IF NOT EXISTS FOR ()-[r:ASSAULT]-() REQUIRE r.id IS UNIQUE;
CREATE INDEX statement_assault_date IF NOT EXISTS FOR ()-[r:ASSAULT]-() ON (r.date);
CREATE CONSTRAINT statement_tension_id IF NOT EXISTS FOR ()-[r:TENSION]-() REQUIRE r.id IS UNIQUE;
CREATE INDEX statement_tension_date IF NOT EXISTS FOR ()-[r:TENSION]-() ON (r.date);
CREATE CONSTRAINT statement_alliance_id IF NOT EXISTS FOR ()-[r:ALLIANCE]-() REQUIRE r.id IS UNIQUE;
CREATE INDEX statement_alliance_date IF NOT EXISTS FOR ()-[r:ALLIANCE]-() ON (r.date);
