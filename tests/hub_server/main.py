"""Run a Hub-compatible server on a free loopback port: olah offline + the write routes.

    python tests/hub_server/main.py --root DIR --token TOKEN

Repositories live in ``DIR/mirrors/models/ORG/NAME`` (olah's mirrors folder), olah's own cache in
``DIR/olah``. The socket is bound and listening before ``PORT <n>`` is printed, so a client may
connect as soon as it reads that line; SIGTERM or SIGINT stops the server.
"""

from __future__ import annotations

import argparse
import socket
import sys
from pathlib import Path
from typing import Any


def configure_olah(root: Path, port: int) -> Any:
    """Olah's module-level FastAPI app, set up to serve ``root/mirrors`` offline."""
    from olah import server
    from olah.configs import OlahConfig

    config = OlahConfig()
    config.offline = True
    config.host = "127.0.0.1"
    config.port = port
    config.mirrors_path = [str(root / "mirrors")]
    config.repos_path = str(root / "olah")
    config.mirror_netloc = config.mirror_lfs_netloc = f"127.0.0.1:{port}"
    server.app.state.app_settings = server.AppSettings(config=config)
    return server.app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--root", type=Path, required=True)
    parser.add_argument("--token", required=True, help="The bearer token writes must carry.")
    args = parser.parse_args()

    import uvicorn
    from app import create_app
    from repos import RepoStore

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)
    port = listener.getsockname()[1]

    (args.root / "mirrors" / "models").mkdir(parents=True, exist_ok=True)
    app = create_app(RepoStore(args.root / "mirrors"), args.token, configure_olah(args.root, port))
    config = uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False)
    print(f"PORT {port}", flush=True)
    uvicorn.Server(config).run(sockets=[listener])
    sys.exit(0)


if __name__ == "__main__":
    main()
