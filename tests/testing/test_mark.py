"""``ubit mark`` on a class whose programs are right, wrong, crashing, hanging, flooding or
hostile: each gets its own right mark, nobody's disturbs another's, the reports are whole,
the same marks come every time, and a Dask cluster gives the local pool's marks."""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ubit.testing.problems import SHIPPED

SOLUTION = (SHIPPED / "heart-on-a" / "solution.py").read_text()
# the shipped problem, with a shorter time limit so the hanging programs are ended sooner
SETTINGS = (SHIPPED / "heart-on-a" / "problem.toml").read_text().replace(
    "time_limit_ms = 10000", "time_limit_ms = 4000")

HOSTILE = '''from microbit import *
try:
    open({target!r}, "w").write("x")  # the board's own filesystem, never the host's
except Exception as e:
    print(e)
try:
    for c in ().__class__.__base__.__subclasses__():
        if c.__name__ == "Popen":
            c(["touch", {target!r}])
        if c.__name__ == "FileIO":
            c({target!r}, "w").write(b"x")
except Exception as e:
    print(e)
try:
    import os
    os.system("touch " + {target!r})
except Exception as e:
    print(e)
'''

# each pupil's program and the marks it should get (out of 5: A 2, B 2, blank at first 1)
CLASS = {
    "correct": (SOLUTION, 5),
    "wrong": (SOLUTION.replace("Image.HEART", "Image.HAPPY"), 1),  # blank at first: right
    "crash": ("from microbit import *\nx = 1 / 0\n", 0),
    "busy": ("while True:\n    pass\n", 0),
    # one call nothing can interrupt
    "builtin": ("print(sum(map(abs, range(-2 ** 31, 2 ** 31 - 1))))\n", 0),
    "flood": (SOLUTION.replace("    sleep(20)", "    print('flood' * 40)\n    sleep(20)"), 5),
}


def ubit(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run the ubit command as a user would."""
    return subprocess.run([sys.executable, "-m", "ubit", *args], capture_output=True,
                          text=True, timeout=timeout)


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The problem, the class's folder (files, a folder and a hex) and the host file a
    hostile program tries to make."""
    root = tmp_path_factory.mktemp("marking")
    problem = shutil.copytree(SHIPPED / "heart-on-a", root / "heart")
    (problem / "problem.toml").write_text(SETTINGS)
    pupils = root / "class"
    pupils.mkdir()
    for name, (source, _) in CLASS.items():
        (pupils / f"{name}.py").write_text(source)
    target = root / "hostile-was-here"
    (pupils / "hostile.py").write_text(HOSTILE.format(target=str(target)) + SOLUTION)
    (pupils / "folder_pupil").mkdir()
    (pupils / "folder_pupil" / "main.py").write_text(SOLUTION)
    built = ubit("hex", "build", str(pupils / "correct.py"), "-o", str(pupils / "hex_pupil.hex"))
    assert built.returncode == 0, built.stderr
    (pupils / "broken.hex").write_text("not a hex\n")
    return {"root": root, "problem": problem, "class": pupils, "target": target}


EXPECTED = {**{name: marks for name, (_, marks) in CLASS.items()}, "hostile": 5,
            "folder_pupil": 5, "hex_pupil": 5, "broken": 0}


def marks_of(report: Path) -> dict[str, float]:
    data = json.loads(report.read_text())
    return {s["student"]: s["marks"] for s in data["students"]}


@pytest.fixture(scope="module")
def first_run(setup: dict[str, Path]) -> tuple[subprocess.CompletedProcess[str], float, Path]:
    out = setup["root"] / "out1"
    began = time.monotonic()
    done = ubit("mark", str(setup["problem"]), str(setup["class"]), "--out", str(out),
                "--jobs", "2")
    return done, time.monotonic() - began, out


def test_each_pupil_gets_the_right_mark(first_run: tuple, setup: dict[str, Path]) -> None:
    done, elapsed, out = first_run
    assert done.returncode == 0, done.stderr
    assert marks_of(out / "marks.json") == EXPECTED
    # hangs are ended by the step limit (2 s a test here), not waited out
    assert elapsed < 60
    lines = dict(re.findall(r"^(\S+)\s+(.*)$", done.stdout, re.M))
    assert lines["correct"] == "5 / 5" and lines["busy"] == "0 / 5"
    assert "broken.hex" in lines["broken"]  # why it couldn't be marked
    assert f"{len(EXPECTED)} submissions: mean" in done.stderr


def test_the_hostile_program_achieves_nothing(first_run: tuple, setup: dict[str, Path]) -> None:
    assert first_run[0].returncode == 0
    assert not setup["target"].exists()


def test_feedback_says_what_went_wrong(first_run: tuple) -> None:
    data = json.loads((first_run[2] / "marks.json").read_text())
    tests = {s["student"]: {t["name"]: t for t in s["tests"]} for s in data["students"]}
    wrong = tests["wrong"]["test_a_shows_a_heart"]
    assert not wrong["passed"] and "should show Image.HEART" in wrong["feedback"]
    assert "Hint: Check button_a.was_pressed()" in wrong["feedback"]
    assert wrong["display"] == ["00000", "09090", "00000", "90009", "09990"]  # happy
    assert tests["correct"]["test_a_shows_a_heart"]["display"][1] == "99999"
    assert "ZeroDivisionError" in tests["crash"]["test_nothing_before_a_press"]["feedback"]
    for hang in ("busy", "builtin"):
        assert "stopped answering" in tests[hang]["test_a_shows_a_heart"]["feedback"]


def test_reports_parse_and_the_html_is_self_contained(first_run: tuple) -> None:
    out = first_run[2]
    assert sorted(p.name for p in out.iterdir()) == ["marks.csv", "marks.json", "report.html"]
    rows = list(csv.DictReader((out / "marks.csv").open()))
    assert {r["student"]: float(r["marks"]) for r in rows} == EXPECTED
    assert rows[0].keys() >= {"test_a_shows_a_heart", "test_b_clears_the_display", "error"}
    page = (out / "report.html").read_text()
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"https?:", page) and "<script" not in page and "<link" not in page
    assert all(name in page for name in EXPECTED)
    assert page.count("class='grid'") >= 20  # a display per test of every pupil whose board ran


def test_same_submissions_same_marks(first_run: tuple, setup: dict[str, Path]) -> None:
    out = setup["root"] / "out2"
    done = ubit("mark", str(setup["problem"]), str(setup["class"]), "--out", str(out),
                "--jobs", "1")
    assert done.returncode == 0, done.stderr
    # the whole report, feedback and displays included, byte for byte
    assert (out / "marks.json").read_bytes() == (first_run[2] / "marks.json").read_bytes()
    assert (out / "marks.csv").read_bytes() == (first_run[2] / "marks.csv").read_bytes()


def test_marking_on_a_dask_cluster_gives_the_same_marks(first_run: tuple,
                                                        setup: dict[str, Path]) -> None:
    distributed = pytest.importorskip("distributed")
    pupils = setup["root"] / "dask-class"  # the quick ones: the hangs are tested above
    pupils.mkdir()
    for name in ("correct.py", "wrong.py", "crash.py", "flood.py", "hex_pupil.hex"):
        shutil.copy(setup["class"] / name, pupils / name)
    shutil.copytree(setup["class"] / "folder_pupil", pupils / "folder_pupil")
    out = setup["root"] / "out-dask"
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        done = ubit("mark", str(setup["problem"]), str(pupils), "--out", str(out),
                    "--cluster", cluster.scheduler_address)
    assert done.returncode == 0, done.stderr
    local = json.loads((first_run[2] / "marks.json").read_text())["students"]
    remote = json.loads((out / "marks.json").read_text())["students"]
    for student in (*local, *remote):
        student.pop("source")  # the folders differ; marks, feedback and displays may not
    assert remote == [s for s in local if s["student"] in {r["student"] for r in remote}]
    assert len(remote) == 6


def test_bad_command_lines_get_one_line(setup: dict[str, Path], tmp_path: Path) -> None:
    for args, words in (((str(setup["problem"]), str(tmp_path / "nobody")), "no such file"),
                        (("no-such-problem", str(setup["class"])), "no such problem"),
                        ((str(setup["problem"]), str(tmp_path)), "no submissions")):
        done = ubit("mark", *args)
        assert done.returncode == 1 and words in done.stderr, done.stderr
        assert done.stderr.startswith("ubit: mark: ") and "Traceback" not in done.stderr
    jobs = ubit("mark", str(setup["problem"]), str(setup["class"]), "--jobs", "0")
    assert jobs.returncode == 2 and "--jobs" in jobs.stderr
