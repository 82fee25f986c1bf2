"""Run bandit over the code and pip-audit over the installed dependencies; exit 1 on findings.

bandit: every finding must be fixed or explained in a ``# why  # nosec BXXX`` comment.
pip-audit: the exact versions installed in ``.venv`` are looked up in the PyPI advisory
database. On a machine that cannot reach the advisory service nothing can be audited; that
is reported loudly but is not a failure (a known vulnerability is).
"""

from __future__ import annotations

import json
import subprocess  # runs the project's own tools with fixed arguments  # nosec B404
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / ".venv-security" / "bin"


def run_bandit() -> bool:
    print("--- bandit", flush=True)
    done = subprocess.run(  # fixed argument list  # nosec B603
        [str(TOOLS / "bandit"), "-q", "-c", "pyproject.toml", "-r", "thrive", "scripts"],
        cwd=ROOT,
        check=False,
    )
    return done.returncode == 0


def frozen_requirements() -> str:
    done = subprocess.run(  # fixed argument list  # nosec B603
        [str(ROOT / ".venv" / "bin" / "pip"), "freeze", "--exclude-editable"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


def run_pip_audit() -> bool:
    print("--- pip-audit", flush=True)
    with tempfile.NamedTemporaryFile("w", suffix=".txt") as requirements:
        requirements.write(frozen_requirements())
        requirements.flush()
        done = subprocess.run(  # fixed argument list  # nosec B603
            [
                str(TOOLS / "pip-audit"),
                "--no-deps",
                "--disable-pip",
                "--progress-spinner",
                "off",
                "--format",
                "json",
                "-r",
                requirements.name,
            ],
            cwd=ROOT,
            check=False,
            capture_output=True,
            text=True,
        )
    try:
        report = json.loads(done.stdout or "{}")
    except json.JSONDecodeError:
        print(done.stdout, done.stderr, sep="\n")
        return False
    dependencies = report.get("dependencies", [])
    vulnerable = [d for d in dependencies if d.get("vulns")]
    skipped = [d for d in dependencies if d.get("skip_reason")]
    audited = len(dependencies) - len(skipped)
    for dependency in vulnerable:
        for vuln in dependency["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions", [])) or "no fixed release"
            print(f"{dependency['name']} {dependency['version']}: {vuln['id']} (fixed in {fixed})")
    print(f"{audited} of {len(dependencies)} dependencies audited, {len(vulnerable)} vulnerable")
    if dependencies and audited == 0:
        print(
            "WARNING: the advisory service could not be reached from this machine; "
            "no dependency was audited. Run `make security` where PyPI's JSON API is reachable."
        )
    return not vulnerable


def main() -> int:
    bandit_ok = run_bandit()
    audit_ok = run_pip_audit()
    return 0 if bandit_ok and audit_ok else 1


if __name__ == "__main__":
    sys.exit(main())
