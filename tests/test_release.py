"""What can be checked here of the release: one version everywhere (scripts/check_version.py and the
installed package), and the GitHub workflows, which cannot run here, checked for what they promise: the
platforms built, the pinned maturin, trusted publishing, the CPython versions CI tests. Their syntax is
checked against the GitHub workflow schema by scripts/lint.sh (check-jsonschema)."""

from __future__ import annotations

import importlib.metadata
import itertools
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

import novu_framework

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import check_version  # noqa: E402


def workflow_file(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text())
    return loaded


def expand(matrix: dict[str, Any]) -> list[dict[str, Any]]:
    """The jobs of a GitHub matrix: the product of its lists, plus its `include` entries."""
    axes = {k: v for k, v in matrix.items() if k not in ("include", "exclude")}
    combos = [dict(zip(axes, values, strict=True)) for values in itertools.product(*axes.values())] if axes else []
    return combos + list(matrix.get("include", []))


def substitute(text: str, values: dict[str, Any]) -> str:
    return re.sub(r"\$\{\{\s*matrix\.(\w+)\s*\}\}", lambda m: str(values[m[1]]), text)


def maturin_builds(release: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """Every maturin-action call of the release: (runner, command, target, manylinux)."""
    builds = []
    for job in release["jobs"].values():
        for values in expand(job.get("strategy", {}).get("matrix", {})) or [{}]:
            runner = substitute(job["runs-on"], values)
            for step in job["steps"]:
                if step.get("uses", "").startswith("PyO3/maturin-action@"):
                    w = {k: substitute(str(v), values) for k, v in step["with"].items()}
                    builds.append((runner, w.get("command", "build"), w.get("target", ""), w.get("manylinux", "")))
    return builds


def test_one_version_everywhere() -> None:
    assert check_version.problems() == []
    version = check_version.workspace_version()
    assert novu_framework.__version__ == version
    assert importlib.metadata.version("novu-framework") == version


def test_the_version_checker_catches_disagreements() -> None:
    good = "# Changelog\n\n## [Unreleased]\n\n## [1.1.0] - 2026-01-02\n\n### Added\n\n- x\n\n## [1.0.0] - 2026-01-01\n"
    links = "\n[Unreleased]: https://e.x/c\n[1.1.0]: https://e.x/a\n[1.0.0]: https://e.x/b\n"
    assert check_version.changelog_releases(good + links) == ([("1.1.0", "2026-01-02"), ("1.0.0", "2026-01-01")], [])
    assert check_version.release_notes(good + links, "1.1.0") == "### Added\n\n- x\n"
    swapped = good.replace("[1.1.0] - 2026-01-02", "[0.9.0] - 2026-01-02")
    problems = check_version.changelog_releases(swapped + links)[1]
    assert any("newest first" in p for p in problems), problems
    assert any("[0.9.0]" in p for p in problems), problems
    bad_kind = check_version.changelog_releases(good.replace("### Added", "### New") + links)[1]
    assert any("`### New` is not one of" in p for p in bad_kind), bad_kind
    no_unreleased = check_version.changelog_releases(good.replace("## [Unreleased]\n", "") + links)[1]
    assert any("must be `## [Unreleased]`" in p for p in no_unreleased), no_unreleased
    assert check_version.version_key("1.0.0-rc.1") < check_version.version_key("1.0.0")


def test_a_release_tag_must_be_the_version_with_a_changelog_section() -> None:
    version = check_version.workspace_version()
    wrong = check_version.problems(tag="v99.0.0")
    assert any(f"is not v{version}" in p for p in wrong), wrong
    run = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "check_version.py"), "--tag", "v99.0.0"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 1 and "error: the tag v99.0.0" in run.stderr, run.stderr


def test_release_builds_every_platform_with_the_pinned_maturin() -> None:
    release = workflow_file("release.yml")
    assert list(release[True]) == ["push"] and release[True]["push"] == {"tags": ["v*"]}
    builds = set(maturin_builds(release))
    assert builds == {
        ("ubuntu-latest", "build", "x86_64", "manylinux2014"),
        ("ubuntu-latest", "build", "aarch64", "manylinux2014"),
        ("ubuntu-latest", "build", "x86_64", "musllinux_1_2"),
        ("ubuntu-latest", "build", "aarch64", "musllinux_1_2"),
        ("macos-15-intel", "build", "x86_64", ""),
        ("macos-latest", "build", "aarch64", ""),
        ("windows-latest", "build", "x64", ""),
        ("ubuntu-latest", "sdist", "", ""),
    }
    pinned = re.search(r"^maturin==(\S+)$", (ROOT / "requirements-build.txt").read_text(), re.M)
    assert pinned is not None
    assert release["env"]["MATURIN_VERSION"] == f"v{pinned[1]}"
    for job in release["jobs"].values():
        for step in job["steps"]:
            if step.get("uses", "").startswith("PyO3/maturin-action@"):
                assert step["with"]["maturin-version"] == "${{ env.MATURIN_VERSION }}"
                if step["with"].get("command", "build") == "build":
                    assert "--release" in step["with"]["args"] and "--strip" in step["with"]["args"]


def test_release_publishes_with_trusted_publishing_after_every_build() -> None:
    jobs = workflow_file("release.yml")["jobs"]
    builders = {name for name, job in jobs.items() if any("maturin-action" in s.get("uses", "") for s in job["steps"])}
    assert all(jobs[name]["needs"] == "check" for name in builders)
    assert "check_version.py --tag" in jobs["check"]["steps"][-1]["run"]
    pypi = jobs["pypi"]
    assert set(pypi["needs"]) == builders
    assert pypi["permissions"] == {"id-token": "write"}
    publish = [s for s in pypi["steps"] if s.get("uses", "").startswith("pypa/gh-action-pypi-publish@")]
    assert len(publish) == 1 and "password" not in publish[0].get("with", {}), "PyPI must use trusted publishing"
    crates = jobs["crates"]
    assert crates["permissions"] == {"id-token": "write"}
    commands = " ".join(s.get("run", "") for s in crates["steps"])
    assert "cargo publish --workspace --exclude novu-framework-python --locked" in commands
    smoke = [name for name, job in jobs.items() if any("smoke-wheel.sh" in s.get("run", "") for s in job["steps"])]
    assert set(smoke) == {"linux", "macos", "windows"}


def test_ci_lints_and_tests_the_oldest_and_newest_python() -> None:
    jobs = workflow_file("ci.yml")["jobs"]
    assert expand(jobs["test"]["strategy"]["matrix"]) == [{"python": "3.10"}, {"python": "3.13"}]
    runs = {name: " ".join(s.get("run", "") for s in job["steps"]).strip() for name, job in jobs.items()}
    assert runs["lint"] == "bash scripts/lint.sh"
    assert runs["test"] == "bash scripts/test.sh"
    assert runs["docs"] == "bash scripts/docs.sh"


@pytest.mark.parametrize("minor", [10, 11, 12, 13])
def test_package_metadata_names_each_supported_python(minor: int) -> None:
    metadata = importlib.metadata.metadata("novu-framework")
    assert f"Programming Language :: Python :: 3.{minor}" in metadata.get_all("Classifier", [])
    assert metadata["Requires-Python"] == ">=3.10"
