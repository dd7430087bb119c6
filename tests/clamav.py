"""A real ClamAV daemon for the tests that need one (the virus scanner, the
health endpoint, the deployment check)."""

import os

import pytest

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


@pytest.fixture(scope="session")
def clamd(tmp_path_factory):
    """A real ClamAV daemon on a free loopback port. Its database holds one
    signature: the EICAR test file's hash (the public signature database
    cannot be downloaded here)."""
    import hashlib
    import shutil
    import subprocess

    from tests.processes import answers, free_port

    binary = shutil.which("clamd") or (
        "/usr/sbin/clamd" if os.path.exists("/usr/sbin/clamd") else None
    )
    if binary is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI needs ClamAV's clamd (Debian package clamav-daemon).")
        pytest.skip("clamd is not installed (Debian package clamav-daemon)")
    root = tmp_path_factory.mktemp("clamd")
    (root / "db").mkdir()
    (root / "db" / "eicar.hdb").write_text(
        f"{hashlib.md5(EICAR).hexdigest()}:{len(EICAR)}:Eicar-Test-Signature\n"  # noqa: S324
    )
    port = free_port()
    (root / "clamd.conf").write_text(
        f"DatabaseDirectory {root / 'db'}\nTCPSocket {port}\nTCPAddr 127.0.0.1\n"
        f"Foreground yes\nLogFile {root / 'clamd.log'}\nPidFile {root / 'clamd.pid'}\n"
    )
    process = subprocess.Popen(  # noqa: S603
        [binary, f"--config-file={root / 'clamd.conf'}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    if not answers(port, b"zPING\0", b"PONG", process, timeout=60):
        pytest.fail(f"clamd did not start: {(root / 'clamd.log').read_text()[-2000:]}")
    yield f"127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=30)
