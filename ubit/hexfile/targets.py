"""micro:bit board variants as data: names, Universal Hex board ids, chips."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Board:
    """One micro:bit hardware variant as the hex toolchain sees it."""

    name: str  # "v1" / "v2", as typed on the command line
    label: str  # "V1" / "V2", as shown to people
    board_ids: tuple[int, ...]  # Universal Hex block-start ids (first one is used to write)
    mcu: str
    bundled_device_version: int  # the key micropython-microbit-fs uses for its bundled hex


# Board ids from the Universal Hex specification (tech.microbit.org/software/spec-universal-hex).
V1 = Board("v1", "V1", (0x9900, 0x9901), "nRF51822", 1)
V2 = Board("v2", "V2", (0x9903, 0x9904, 0x9905, 0x9906), "nRF52833", 2)
BOARDS = (V1, V2)
TARGETS = ("universal", "v1", "v2")


def board_for_id(board_id: int) -> Board | None:
    """The board a Universal Hex block id belongs to, if it is a micro:bit's."""
    for board in BOARDS:
        if board_id in board.board_ids:
            return board
    return None


def board_named(name: str) -> Board:
    """The board called ``name`` ("v1" or "v2", any case)."""
    for board in BOARDS:
        if board.name == name.lower():
            return board
    raise KeyError(name)


def boards_for_target(target: str) -> tuple[Board, ...]:
    """Boards a build target covers: universal → both, v1 / v2 → one."""
    return BOARDS if target == "universal" else (board_named(target),)
