"""The write half of the Hub HTTP API, in front of olah (which serves every read).

Implements what ``huggingface_hub``'s upload code sends (``HfApi.create_repo``,
``create_branch``, ``upload_folder``/``create_commit`` without Xet: README metadata validation,
preupload, the LFS batch API with basic transfers and verify, the ndjson commit), writing real
git commits into the mirror folder olah serves. It also answers a revision lookup for a
repository it holds but a revision it does not, as the Hub does (404 ``RevisionNotFound``), where
olah's offline mode would say the repository is missing. Everything else goes to olah's app.
"""

from __future__ import annotations

import base64
import json
import re
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import yaml
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from repos import Addition, Deletion, RepoError, RepoStore

LFS_JSON = "application/vnd.git-lfs+json"
REVISION_PATH = re.compile(
    r"^/api/models/(?P<org>[^/]+)/(?P<name>[^/]+)/revision/(?P<revision>.+)$"
)


def error_response(error: RepoError) -> JSONResponse:
    return JSONResponse(
        {"error": str(error)},
        status_code=error.status,
        headers={"x-error-code": error.code, "x-error-message": str(error)},
    )


def looks_binary(sample: bytes) -> bool:
    if b"\0" in sample:
        return True
    try:
        sample.decode()
    except UnicodeDecodeError:
        return True
    return False


def create_app(store: RepoStore, token: str, olah_app: Any) -> FastAPI:
    """The front app: write routes checked against ``token``, then olah for the rest."""
    app = FastAPI()

    @app.exception_handler(RepoError)
    async def repo_error(_: Request, error: RepoError) -> JSONResponse:
        return error_response(error)

    def authorize(request: Request) -> None:
        if request.headers.get("authorization") != f"Bearer {token}":
            raise RepoError(401, "Unauthorized", "Invalid credentials in Authorization header")

    def base_url(request: Request) -> str:
        return str(request.base_url).rstrip("/")

    @app.get("/zoo-test/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/api/validate-yaml")
    async def validate_yaml(request: Request) -> JSONResponse:
        body = await request.json()
        content = body.get("content", "")
        if content.startswith("---"):
            header = content.split("---", 2)[1]
            try:
                yaml.safe_load(header)
            except yaml.YAMLError as error:
                return JSONResponse({"errors": [{"message": str(error)}]}, status_code=400)
        return JSONResponse({"errors": [], "warnings": []})

    @app.post("/api/repos/create")
    async def create_repo(request: Request) -> JSONResponse:
        authorize(request)
        body = await request.json()
        if body.get("type", "model") != "model":
            raise RepoError(400, "BadRequest", "this test hub holds model repositories only")
        org, name = body.get("organization") or "user", body["name"]
        url = f"{base_url(request)}/{org}/{name}"
        try:
            store.create(org, name)
        except RepoError as error:
            if error.status == 409:
                return JSONResponse({"error": str(error), "url": url}, status_code=409)
            raise
        return JSONResponse({"url": url, "name": f"{org}/{name}", "id": f"{org}/{name}"})

    @app.post("/api/models/{org}/{name}/branch/{branch}")
    async def create_branch(org: str, name: str, branch: str, request: Request) -> JSONResponse:
        authorize(request)
        body = await request.json() if await request.body() else {}
        store.get(org, name).create_branch(branch, body.get("startingPoint"))
        return JSONResponse({})

    @app.post("/api/models/{org}/{name}/preupload/{revision}")
    async def preupload(org: str, name: str, revision: str, request: Request) -> JSONResponse:
        authorize(request)
        repo = store.get(org, name)
        head = repo.branch_head(revision)
        files = []
        for item in (await request.json())["files"]:
            binary = looks_binary(base64.b64decode(item["sample"])) or item["size"] >= 10 << 20
            files.append(
                {
                    "path": item["path"],
                    "uploadMode": "lfs" if binary else "regular",
                    "shouldIgnore": False,
                    "oid": repo.file_oid(head, item["path"]),
                }
            )
        return JSONResponse({"files": files, "commitOid": head})

    @app.post("/{org}/{name}.git/info/lfs/objects/batch")
    async def lfs_batch(org: str, name: str, request: Request) -> JSONResponse:
        authorize(request)
        repo = store.get(org, name)
        body = await request.json()
        if body.get("operation") != "upload" or "basic" not in body.get("transfers", ["basic"]):
            raise RepoError(400, "BadRequest", "only basic LFS uploads are supported")
        objects = []
        for item in body["objects"]:
            answer: dict[str, Any] = {"oid": item["oid"], "size": item["size"]}
            if not repo.has_lfs_object(item["oid"], item["size"]):
                href = f"{base_url(request)}/zoo-test/lfs/{org}/{name}/{item['oid']}"
                answer["actions"] = {
                    "upload": {"href": href},
                    "verify": {"href": f"{href}/verify"},
                }
            objects.append(answer)
        return JSONResponse({"transfer": "basic", "objects": objects}, media_type=LFS_JSON)

    @app.put("/zoo-test/lfs/{org}/{name}/{oid}")
    async def lfs_upload(org: str, name: str, oid: str, request: Request) -> Response:
        repo = store.get(org, name)
        repo.lfs_objects.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=repo.lfs_objects, delete=False) as handle:
            async for chunk in request.stream():
                handle.write(chunk)
        try:
            repo.store_lfs_object(oid, Path(handle.name))
        finally:
            Path(handle.name).unlink(missing_ok=True)
        return Response(status_code=200)

    @app.post("/zoo-test/lfs/{org}/{name}/{oid}/verify")
    async def lfs_verify(org: str, name: str, oid: str, request: Request) -> JSONResponse:
        authorize(request)
        body = await request.json()
        if not store.get(org, name).has_lfs_object(oid, body.get("size")):
            raise RepoError(404, "EntryNotFound", f"LFS object {oid} was not uploaded")
        return JSONResponse({"success": True})

    @app.post("/api/models/{org}/{name}/commit/{revision}")
    async def commit(org: str, name: str, revision: str, request: Request) -> JSONResponse:
        authorize(request)
        if request.query_params.get("create_pr"):
            raise RepoError(400, "BadRequest", "pull requests are not supported by this test hub")
        repo = store.get(org, name)
        header, changes = parse_commit(await request.body())
        message = header.get("summary", "") + (
            f"\n\n{header['description']}" if header.get("description") else ""
        )
        oid = repo.commit(revision, changes, message or "commit", header.get("parentCommit"))
        return JSONResponse(
            {
                "success": True,
                "commitOid": oid,
                "commitUrl": f"{base_url(request)}/{org}/{name}/commit/{oid}",
                "pullRequestUrl": None,
            }
        )

    app.mount("/", RevisionCheck(olah_app, store))
    return app


class RevisionCheck:
    """Olah, except that a missing revision of a repository held here is a 404
    ``RevisionNotFound`` (olah's offline mode reports such a revision as a missing repository)."""

    def __init__(self, app: Any, store: RepoStore) -> None:
        self.app = app
        self.store = store

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        match = REVISION_PATH.match(scope.get("path", "")) if scope["type"] == "http" else None
        if match and self.store.exists(match["org"], match["name"]):
            revision = unquote(match["revision"])
            if self.store.get(match["org"], match["name"]).resolve(revision) is None:
                error = RepoError(404, "RevisionNotFound", f"Invalid rev id: {revision}")
                await error_response(error)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def parse_commit(body: bytes) -> tuple[dict[str, Any], list[Addition | Deletion]]:
    """The ndjson payload of ``huggingface_hub``'s commit call."""
    header: dict[str, Any] = {}
    changes: list[Addition | Deletion] = []
    for line in body.splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        key, value = item["key"], item["value"]
        if key == "header":
            header = value
        elif key == "file":
            if value.get("encoding", "base64") != "base64":
                raise RepoError(400, "BadRequest", f"unsupported encoding {value.get('encoding')}")
            changes.append(Addition(value["path"], content=base64.b64decode(value["content"])))
        elif key == "lfsFile":
            changes.append(Addition(value["path"], lfs_oid=value["oid"]))
        elif key in ("deletedFile", "deletedFolder"):
            changes.append(Deletion(value["path"], folder=key == "deletedFolder"))
        else:
            raise RepoError(400, "BadRequest", f"unknown commit operation {key!r}")
    return header, changes
