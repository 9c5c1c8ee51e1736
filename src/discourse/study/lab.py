"""Start JupyterLab on this machine only, protected by a token.

``python -m discourse.study.lab`` serves the project folder on ``127.0.0.1`` (never on a public
interface), on port ``LAB_PORT`` (default 8888), with the token ``LAB_TOKEN`` or, when that
is unset, a fresh random one. The address to open, token included, is printed first. No
browser is opened, and ``--allow-root`` is passed only when running as root (containers).
"""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from discourse.study.paths import ROOT

__all__ = ["HOST", "LabSettings", "lab_arguments", "lab_settings", "main"]

#: The only interface JupyterLab listens on.
HOST = "127.0.0.1"
DEFAULT_PORT = 8888


@dataclass(frozen=True)
class LabSettings:
    """Where JupyterLab listens and the token that opens it."""

    port: int
    token: str

    @property
    def url(self) -> str:
        """Address of the Lab interface, with the token, as printed for the user."""
        return f"http://{HOST}:{self.port}/lab?token={self.token}"


def lab_settings(environ: Mapping[str, str] = os.environ) -> LabSettings:
    """Read ``LAB_PORT`` and ``LAB_TOKEN``; make a random 48-hex-digit token when unset.

    Raises ValueError for a port that is not a whole number from 1 to 65535 or a blank token.
    """
    raw_port = environ.get("LAB_PORT", str(DEFAULT_PORT)).strip()
    if not raw_port.isdigit() or not 1 <= int(raw_port) <= 65535:
        raise ValueError(f"LAB_PORT must be a port number from 1 to 65535, not {raw_port!r}")
    token = environ.get("LAB_TOKEN")
    if token is None:
        token = secrets.token_hex(24)
    elif not token.strip():
        raise ValueError("LAB_TOKEN is set but blank; unset it to get a random token")
    return LabSettings(port=int(raw_port), token=token)


def lab_arguments(settings: LabSettings, root: Path = ROOT, as_root: bool = False) -> list[str]:
    """Return the JupyterLab command-line options for ``settings``.

    ``port_retries=0`` makes Lab fail rather than quietly move to another port than the one
    printed; update checks and the extension manager's package index look-ups are switched
    off because the study runs offline.
    """
    arguments = [
        f"--ServerApp.ip={HOST}",
        f"--ServerApp.port={settings.port}",
        "--ServerApp.port_retries=0",
        "--ServerApp.open_browser=False",
        f"--ServerApp.root_dir={root}",
        f"--IdentityProvider.token={settings.token}",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.extension_manager=readonly",
    ]
    if as_root:
        arguments.append("--allow-root")
    return arguments


def main(argv: Sequence[str] | None = None) -> int:
    """Print the address with its token, then run JupyterLab until it is stopped."""
    try:
        settings = lab_settings()
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"JupyterLab will be at {settings.url}", flush=True)
    from jupyterlab.labapp import LabApp

    arguments = lab_arguments(settings, ROOT, as_root=hasattr(os, "geteuid") and os.geteuid() == 0)
    LabApp.launch_instance(argv=[*arguments, *(argv or [])])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
