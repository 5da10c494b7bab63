"""micro:bit board variants as data: names, Universal Hex board ids, chips."""

from __future__ import annotations


class Board:
    """One micro:bit hardware variant as the hex toolchain sees it.

    (A plain class: every command imports this module, and dataclasses would
    add a tenth to the start-up of each.)
    """

    def __init__(self, name: str, label: str, board_ids: tuple[int, ...], mcu: str,
                 bundled_device_version: int) -> None:
        self.name = name  # "v1" / "v2", as typed on the command line
        self.label = label  # "V1" / "V2", as shown to people
        self.board_ids = board_ids  # Universal Hex block ids (the first is used to write)
        self.mcu = mcu
        self.bundled_device_version = bundled_device_version  # micropython-microbit-fs key

    def __repr__(self) -> str:
        return f"Board({self.label})"


# Board ids from the Universal Hex specification (tech.microbit.org/software/spec-universal-hex).
V1 = Board("v1", "V1", (0x9900, 0x9901), "nRF51822", 1)
V2 = Board("v2", "V2", (0x9903, 0x9904, 0x9905, 0x9906), "nRF52833", 2)
BOARDS = (V1, V2)
BOARD_NAMES = tuple(board.name for board in BOARDS)  # what --board takes
TARGETS = ("universal", *BOARD_NAMES)


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


# The official runtimes micropython-microbit-fs bundles (hexes/microbitvN/vX.Y.Z/): here,
# so that what a board should run is known without loading the hex libraries.
BUNDLED_VERSIONS = {V1: "1.1.1", V2: "2.1.2"}
