"""The package stands on its own: built as a wheel, installed outside the checkout, it runs the
README's example on a user's own DataFrame from an unrelated folder."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The package built as a wheel and installed (without dependencies) into a fresh folder."""
    work = tmp_path_factory.mktemp("package")
    build = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"]
    subprocess.run(
        [*build, "--wheel-dir", str(work / "dist"), str(ROOT)], check=True, capture_output=True
    )
    (wheel,) = (work / "dist").glob("discourse-*.whl")
    install = [sys.executable, "-m", "pip", "install", "--no-deps", "--target", str(work / "site")]
    subprocess.run([*install, str(wheel)], check=True, capture_output=True)
    return work


def test_the_wheel_carries_every_data_file(installed):
    (wheel,) = (installed / "dist").glob("discourse-*.whl")
    packed = {name for name in zipfile.ZipFile(wheel).namelist() if "/data/" in name}
    shipped = {f"discourse/data/{path.name}" for path in (ROOT / "src/discourse/data").iterdir()}
    assert shipped and shipped <= packed


def test_readme_example_runs_on_the_installed_package_outside_the_checkout(installed):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = next(
        b for b in re.findall(r"```python\n(.*?)```", readme, re.DOTALL) if "corpus_from_turns" in b
    )
    script = (
        "import discourse, pathlib\n"
        f"assert pathlib.Path(discourse.__file__).is_relative_to({str(installed / 'site')!r})\n"
        + example
    )
    elsewhere = installed / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(installed / "site")}
    env.pop("DISCOURSE_STUDY", None)
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=elsewhere, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert not any(elsewhere.iterdir()), "the example wrote files into the working folder"
