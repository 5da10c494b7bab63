"""The editor's server: who may talk to it, projects that last, hex download and load."""

from __future__ import annotations

import binascii
import json
import os
import time
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from tests.editor.boardprocs import running_boards
from tests.editor.serverclient import BASE, PORT, TOKEN, make_client, make_store
from ubit.editor.projects import OPENED, ProjectStore
from ubit.editor.security import COOKIE
from ubit.editor.server import build_app


@pytest.fixture
def store(tmp_path: Path) -> ProjectStore:
    return make_store(tmp_path)


@pytest.fixture
def client(store: ProjectStore) -> TestClient:
    return make_client(store)


def test_a_request_without_the_token_is_refused(store: ProjectStore) -> None:
    app = build_app(store, TOKEN, lambda: PORT)
    bare = TestClient(app, base_url=BASE)
    for path in ("/api/projects", "/", "/static/app.js", "/api/projects?token=wrong"):
        assert bare.get(path).status_code == 403
    assert bare.get(f"/api/projects?token={TOKEN}").status_code == 200
    bare.cookies.set(COOKIE, TOKEN)
    assert bare.get("/api/projects").status_code == 200


def test_a_foreign_host_or_origin_is_refused(client: TestClient) -> None:
    assert client.get("/api/projects").status_code == 200
    assert client.get("/api/projects", headers={"Host": "evil.example:8765"}).status_code == 403
    assert client.get("/api/projects", headers={"Host": f"localhost:{PORT}"}).status_code == 200
    assert client.post("/api/projects", json={"name": "x"},
                       headers={"Origin": "http://evil.example"}).status_code == 403
    assert client.post("/api/projects", json={"name": "x"},
                       headers={"Origin": BASE}).status_code == 200


def test_a_websocket_from_another_origin_is_refused(client: TestClient) -> None:
    from starlette.websockets import WebSocketDisconnect

    with pytest.raises(WebSocketDisconnect):
        with client.websocket_connect(f"/ws/boards?token={TOKEN}", headers={
                "Origin": "http://evil.example", "Host": f"127.0.0.1:{PORT}"}):
            pass
    with client.websocket_connect(f"/ws/boards?token={TOKEN}", headers={
            "Origin": BASE, "Host": f"127.0.0.1:{PORT}"}) as ws:
        ws.send_text(json.dumps({"kind": "fly"}))
        assert ws.receive_json()["kind"] == "error"


@pytest.mark.parametrize("name", ["..", "../x.py", "a/b.py", ".hidden", "x" * 121])
def test_file_names_that_are_paths_are_refused(client: TestClient, name: str,
                                               tmp_path: Path) -> None:
    from urllib.parse import quote

    response = client.put(f"/api/projects/{OPENED}/files/{quote(name, safe='')}",
                          content=b"x = 1\n")
    assert response.status_code in (400, 404, 405), response.text  # 405: ".." left the route
    assert not (tmp_path / "x.py").exists() and not (tmp_path / "library" / "x.py").exists()
    if response.status_code == 400:
        assert "error" in response.json()


def test_projects_are_made_renamed_duplicated_and_deleted(client: TestClient,
                                                          store: ProjectStore) -> None:
    assert [p["id"] for p in client.get("/api/projects").json()] == [OPENED]
    made = client.post("/api/projects", json={"name": "Blink"}).json()["id"]
    assert (store.library / "Blink" / "main.py").read_text().startswith("# A program")
    assert client.post("/api/projects", json={"name": "Blink"}).status_code == 400
    assert client.post("/api/projects", json={"name": "Blink", "unique": True}).json() == {
        "id": "Blink 2"}
    assert client.post(f"/api/projects/{made}/rename", json={"to": "Flash"}).json() == {
        "id": "Flash"}
    assert client.post("/api/projects/Flash/duplicate", json={"to": "Copy"}).json() == {
        "id": "Copy"}
    assert client.delete("/api/projects/Copy").status_code == 200
    names = [p["name"] for p in client.get("/api/projects").json()]
    assert names == ["game", "Blink 2", "Flash"]
    assert any(path.name.startswith("Copy ") for path in (store.library / ".trash").iterdir())
    assert client.delete(f"/api/projects/{OPENED}").status_code == 400


def test_files_are_saved_renamed_deleted_and_listed(client: TestClient, store: ProjectStore
                                                     ) -> None:
    base = f"/api/projects/{OPENED}/files"
    assert client.put(f"{base}/lib.py", content=b"def f():\n    return 42\n").status_code == 200
    assert client.get(f"{base}/lib.py").content == b"def f():\n    return 42\n"
    assert (store.opened / "lib.py").read_bytes() == b"def f():\n    return 42\n"
    assert client.post(f"{base}/lib.py/rename", json={"to": "helpers.py"}).status_code == 200
    assert [f["name"] for f in client.get(base).json()] == ["helpers.py", "main.py"]
    assert client.post(f"{base}/helpers.py/rename", json={"to": "main.py"}).status_code == 400
    assert client.delete(f"{base}/helpers.py").status_code == 200
    assert client.get(f"{base}/helpers.py").status_code == 404


def test_download_builds_a_hex_that_extracts_to_the_project(client: TestClient,
                                                            tmp_path: Path) -> None:
    from ubit.hexfile import read_hex

    client.put(f"/api/projects/{OPENED}/files/lib.py", content=b"X = 1\n")
    response = client.get(f"/api/projects/{OPENED}/hex")
    assert response.status_code == 200
    assert 'filename="game.hex"' in response.headers["content-disposition"]
    contents = read_hex(response.text)
    assert contents.universal and contents.files() == {
        "main.py": b"from microbit import *\ndisplay.show(Image.HEART)\n", "lib.py": b"X = 1\n"}
    v1 = read_hex(client.get(f"/api/projects/{OPENED}/hex?target=v1").text)
    assert not v1.universal


def test_a_project_too_big_for_the_board_says_so_before_downloading(client: TestClient) -> None:
    client.put(f"/api/projects/{OPENED}/files/big.txt", content=b"x" * 40_000)
    response = client.get(f"/api/projects/{OPENED}/hex")
    assert response.status_code == 400
    assert "too big for the V1 filesystem by" in response.json()["error"]


def test_load_adds_a_py_and_every_file_of_a_hex(client: TestClient, store: ProjectStore) -> None:
    from ubit.hexfile import SourceFile
    from ubit.project import build_hex

    text, _ = build_hex([SourceFile("main.py", b"print('hexed')\n"),
                         SourceFile("data.txt", b"1 2 3\n")], "universal", "main.py")
    made = client.post("/api/projects", json={"name": "Loaded"}).json()["id"]
    response = client.post(f"/api/projects/{made}/load?name=game.hex", content=text.encode())
    assert response.json() == {"files": ["data.txt", "main.py"]}
    assert (store.library / "Loaded" / "main.py").read_bytes() == b"print('hexed')\n"
    response = client.post(f"/api/projects/{made}/load?name=extra.py", content=b"Y = 2\n")
    assert response.json() == {"files": ["extra.py"]}
    bad = client.post(f"/api/projects/{made}/load?name=bad.hex", content=b"\x00\x01binary")
    assert bad.status_code == 400 and "\n" not in bad.json()["error"]


def test_new_project_with_files_from_a_share(client: TestClient, store: ProjectStore) -> None:
    files = {"main.py": binascii.b2a_base64(b"print(1)\n").decode()}
    made = client.post("/api/projects", json={"name": "Shared", "files": files,
                                             "unique": True}).json()["id"]
    assert (store.library / made / "main.py").read_bytes() == b"print(1)\n"


def test_a_page_plays_a_project_and_speaks_the_board_protocol(client: TestClient) -> None:
    client.put(f"/api/projects/{OPENED}/files/main.py",
               content=b"from microbit import *\nprint('hi', temperature())\n")
    with client.websocket_connect(f"/ws/boards?token={TOKEN}", headers={
            "Origin": BASE, "Host": f"127.0.0.1:{PORT}"}) as ws:
        ws.send_json({"kind": "play", "board_id": "b1", "project": OPENED, "version": "v1"})
        seen: list[dict] = []
        out = b""

        def until(condition) -> None:
            nonlocal out
            while not condition():
                message = ws.receive_json()
                seen.append(message)
                if message["kind"] == "serial_out":
                    out += binascii.a2b_base64(message["data"])

        until(lambda: b">>> " in out)  # the program ran, then the REPL (as on the board)
        kinds = [m["kind"] for m in seen]
        assert kinds[:2] == ["playing", "ready"] and all(m.get("board_id") == "b1" for m in seen)
        assert seen[1]["board"]["label"] == "V1" and seen[1]["state"]["temperature"] == 21
        assert b"hi 21\r\n" in out
        ws.send_json({"kind": "set", "board_id": "b1", "input": "temperature", "value": 30})
        ws.send_json({"kind": "serial_in", "board_id": "b1",
                      "data": binascii.b2a_base64(b"print(temperature())\r").decode()})
        until(lambda: b"30\r\n" in out)
        ws.send_json({"kind": "set", "board_id": "b1", "input": "temperature", "value": "hot"})
        until(lambda: seen[-1]["kind"] == "error")
        assert seen[-1]["board_id"] == "b1" and seen[-1]["input"] == "temperature"
        ws.send_json({"kind": "play", "board_id": "b2", "project": OPENED, "main": "nothere.py"})
        until(lambda: seen[-1]["kind"] == "error" and seen[-1].get("board_id") == "b2")
        assert "no file 'nothere.py'" in seen[-1]["message"]


def test_a_page_that_goes_stops_its_boards(client: TestClient) -> None:
    client.put(f"/api/projects/{OPENED}/files/main.py",
               content=b"from microbit import *\nwhile True:\n    display.scroll('busy')\n")
    with client.websocket_connect(f"/ws/boards?token={TOKEN}", headers={
            "Origin": BASE, "Host": f"127.0.0.1:{PORT}"}) as ws:
        for board_id in ("b1", "b2"):
            ws.send_json({"kind": "play", "board_id": board_id, "project": OPENED})
        ready = 0
        while ready < 2:
            ready += ws.receive_json()["kind"] == "ready"
        assert len(running_boards(os.getpid())) == 2
    # the socket closed without a word from the page (a tab killed, a laptop shut)
    deadline = time.monotonic() + 5
    while running_boards(os.getpid()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert running_boards(os.getpid()) == []
