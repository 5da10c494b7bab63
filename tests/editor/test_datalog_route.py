"""``GET /api/devices/datalog``: a real board's data log for the editor's page."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.routing import Route
from starlette.testclient import TestClient

from tests.test_device_datalog import LOGGED, drive_with_log, my_data
from tests.test_flash import V1_DETAILS
from ubit.editor.datalog_route import datalog_route


@pytest.fixture
def client() -> TestClient:
    return TestClient(Starlette(routes=[Route("/api/devices/datalog", datalog_route)]))


def test_the_log_of_the_drive_found(client: TestClient, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    folder = drive_with_log(tmp_path / "mnt", data=my_data(full=True))
    monkeypatch.setenv("UBIT_MOUNT_ROOTS", str(tmp_path / "mnt"))
    answer = client.get("/api/devices/datalog")
    assert answer.status_code == 200
    assert answer.json() == {"csv": LOGGED.decode(), "drive": str(folder), "full": True,
                             "lines": 7}


def test_the_drive_given_and_an_empty_log(client: TestClient, tmp_path: Path) -> None:
    folder = drive_with_log(tmp_path, data=my_data(b""))
    answer = client.get("/api/devices/datalog", params={"drive": str(folder)})
    assert answer.status_code == 200 and answer.json()["csv"] == ""


def test_no_log_to_read_is_one_line(client: TestClient, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UBIT_MOUNT_ROOTS", str(tmp_path))
    answer = client.get("/api/devices/datalog")
    assert answer.status_code == 404 and "no micro:bit drive found" in answer.json()["error"]
    v1 = drive_with_log(tmp_path / "other", details=V1_DETAILS)
    answer = client.get("/api/devices/datalog", params={"drive": str(v1)})
    assert answer.status_code == 404 and "V1" in answer.json()["error"]
    garbage = drive_with_log(tmp_path / "third", data=b"not a log at all" * 10)
    answer = client.get("/api/devices/datalog", params={"drive": str(garbage)})
    assert answer.status_code == 400
    assert "not a micro:bit data log" in answer.json()["error"]


def test_log_values_merged_say_what_both_said() -> None:
    from ubit.sim.host.logcsv import merge_log_values

    first = {"lines": ["a,b", "1,2"], "erased": True, "full": False}
    assert merge_log_values(first, {"lines": ["3,4"], "erased": False, "full": True}) == \
        {"lines": ["a,b", "1,2", "3,4"], "erased": True, "full": True}
    assert merge_log_values(first, {"lines": ["x"], "erased": True, "full": False}) == \
        {"lines": ["x"], "erased": True, "full": False}
