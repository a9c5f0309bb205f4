"""The three dependency files agree: requirements.txt, requirements.lock, environment.yml."""

import re

import yaml

from conftest import ROOT

# Entries of environment.yml that pip users get from the OS, not from PyPI.
CONDA_ONLY = {"python", "pango", "harfbuzz", "pip"}


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins(path):
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, version = line.split("==")
            pins[_norm(name)] = version
    return pins


def _conda():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pins = {}
    for dep in env["dependencies"]:
        if isinstance(dep, dict):  # the pip section: the project's own plugin (test below)
            continue
        name, _, version = dep.partition("=")
        pins[_norm(name)] = version
    return pins


def test_environment_yml_names_the_same_packages_as_requirements():
    conda = {k: v for k, v in _conda().items() if k not in CONDA_ONLY}
    assert set(conda) == set(_pins(ROOT / "requirements.txt"))


def test_environment_yml_pins_the_same_versions():
    conda = _conda()
    for name, version in _pins(ROOT / "requirements.txt").items():
        assert conda[name] == version, name


def test_lock_contains_every_requirement_at_its_pin():
    lock = _pins(ROOT / "requirements.lock")
    for name, version in _pins(ROOT / "requirements.txt").items():
        assert lock.get(name) == version, name


def test_conda_users_get_the_logger_plugin_the_workflow_profile_names():
    """profiles/default names the project's logger plugin for every run: a conda environment
    without it could run no `snakemake` command at all."""
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    profile = yaml.safe_load((ROOT / "profiles/default/config.yaml").read_text(encoding="utf-8"))
    assert [f"./plugins/snakemake-logger-plugin-{profile['logger']}"] == pip
    assert (ROOT / pip[0].removeprefix("./") / "pyproject.toml").is_file()
