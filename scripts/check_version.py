"""Checks that the project has one version and a changelog that tells it.

The version lives in one place, ``[workspace.package] version`` of Cargo.toml: every crate inherits it,
maturin gives it to the Python package, and ``novu_framework.__version__`` reads it from the native module.
This script checks what must agree with it:

- every crate takes ``version.workspace = true``;
- a published crate's dependency on another crate of the workspace names that same version (crates.io needs
  a version beside the path);
- CHANGELOG.md follows Keep a Changelog: ``## [Unreleased]`` first, then ``## [X.Y.Z] - YYYY-MM-DD``
  newest first, only its section kinds, and a link for every heading;
- the workspace version is either the newest release of the changelog or newer than it (not yet released).

    python scripts/check_version.py                 # in the test suite and lint
    python scripts/check_version.py --tag v1.2.0    # in release.yml: the tag must be the released version
    python scripts/check_version.py --notes 1.2.0   # prints that release's changelog section
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
SECTION_KINDS = ("Added", "Changed", "Deprecated", "Removed", "Fixed", "Security")
RELEASE = re.compile(r"^## \[(?P<version>\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)\] - (?P<date>\d{4}-\d{2}-\d{2})$")


def load_toml(path: Path) -> dict[str, Any]:
    with path.open("rb") as f:
        return tomllib.load(f)


def version_key(version: str) -> tuple[int, int, int, int, str]:
    core, _, pre = version.partition("-")
    major, minor, patch = (int(n) for n in core.split("."))
    # A pre-release sorts before its release.
    return major, minor, patch, 0 if pre else 1, pre


def workspace_version() -> str:
    version: str = load_toml(ROOT / "Cargo.toml")["workspace"]["package"]["version"]
    return version


def crate_problems(version: str) -> list[str]:
    workspace = load_toml(ROOT / "Cargo.toml")["workspace"]
    shared = workspace.get("dependencies", {})
    manifests = {ROOT / member / "Cargo.toml" for member in workspace["members"]}
    names = {load_toml(m)["package"]["name"] for m in manifests}
    problems = []
    for manifest in sorted(manifests):
        package = load_toml(manifest)
        where = manifest.relative_to(ROOT)
        if package["package"].get("version") != {"workspace": True}:
            problems.append(f"{where}: the version must be `version.workspace = true`")
        if package["package"].get("publish", True) is False:
            continue
        for name, spec in package.get("dependencies", {}).items():
            if isinstance(spec, dict) and spec.get("workspace"):
                spec = shared.get(name, {})
            if name not in names or not isinstance(spec, dict):
                continue
            wanted = {version, f"={version}", f"^{version}"}
            if spec.get("version") not in wanted:
                problems.append(
                    f"{where}: the dependency on {name} must name version {version!r} beside its path "
                    f"(crates.io needs it), not {spec.get('version')!r}"
                )
    return problems


def changelog_releases(text: str) -> tuple[list[tuple[str, str]], list[str]]:
    """The ``(version, date)`` releases of the changelog, newest first, and what is wrong with it."""
    problems = []
    lines = text.splitlines()
    if not lines or lines[0] != "# Changelog":
        problems.append("CHANGELOG.md must start with `# Changelog`")
    headings = [(i, line) for i, line in enumerate(lines) if line.startswith("## ")]
    if not headings or headings[0][1] != "## [Unreleased]":
        problems.append("CHANGELOG.md: the first section must be `## [Unreleased]`")
    releases = []
    for i, line in headings[1:]:
        match = RELEASE.match(line)
        if match is None:
            problems.append(f"CHANGELOG.md:{i + 1}: `{line}` is not `## [X.Y.Z] - YYYY-MM-DD`")
        else:
            releases.append((match["version"], match["date"]))
    keys = [version_key(v) for v, _ in releases]
    if keys != sorted(keys, reverse=True) or len(set(keys)) != len(keys):
        problems.append("CHANGELOG.md: releases must be listed newest first, each once")
    for i, line in enumerate(lines):
        if line.startswith("### ") and line[4:] not in SECTION_KINDS:
            problems.append(f"CHANGELOG.md:{i + 1}: `{line}` is not one of {', '.join(SECTION_KINDS)}")
    links = {m[1] for m in re.finditer(r"^\[([^\]]+)\]: https://\S+$", text, re.M)}
    for label in ["Unreleased", *(v for v, _ in releases)]:
        if label not in links:
            problems.append(f"CHANGELOG.md: no link reference `[{label}]: https://...` at the end")
    return releases, problems


def release_notes(text: str, version: str) -> str:
    match = re.search(rf"^## \[{re.escape(version)}\] - .*?\n(.*?)(?=^## |^\[Unreleased\]: )", text, re.M | re.S)
    if match is None:
        raise SystemExit(f"CHANGELOG.md has no section for {version}")
    return match[1].strip() + "\n"


def problems(tag: str | None = None) -> list[str]:
    version = workspace_version()
    found = crate_problems(version)
    releases, changelog = changelog_releases((ROOT / "CHANGELOG.md").read_text())
    found += changelog
    newest = releases[0][0] if releases else None
    if newest is not None and version_key(version) < version_key(newest):
        found.append(f"Cargo.toml's version {version} is older than the newest release of CHANGELOG.md, {newest}")
    if tag is not None:
        if tag != f"v{version}":
            found.append(f"the tag {tag} is not v{version}, the version of Cargo.toml")
        if newest != version:
            found.append(f"CHANGELOG.md has no `## [{version}] - YYYY-MM-DD` section above the older releases")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tag", help="the release tag being published, e.g. v1.2.0")
    parser.add_argument("--notes", metavar="VERSION", help="print the changelog section of VERSION")
    args = parser.parse_args()
    if args.notes:
        print(release_notes((ROOT / "CHANGELOG.md").read_text(), args.notes), end="")
        return
    found = problems(args.tag)
    for problem in found:
        print(f"error: {problem}", file=sys.stderr)
    if found:
        raise SystemExit(1)
    print(f"version {workspace_version()}: Cargo.toml, crates and CHANGELOG.md agree")


if __name__ == "__main__":
    main()
