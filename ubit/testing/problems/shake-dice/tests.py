from ubit.testing import Image

FACES = {str(n): Image.of_char(str(n)) for n in range(1, 7)}


def shake(board):
    board.gesture("shake")
    board.run(200)
    board.gesture("face up")
    board.run(300)


def shown_number(board):
    for number, image in FACES.items():
        if board.display() == image:
            return number
    return None


def test_shake_shows_a_number(board):
    board.run(200)
    shake(board)
    assert shown_number(board) is not None, (
        "After a shake the display should show a number from 1 to 6; it showed:\n\n"
        + str(board.display()))


def test_every_throw_is_1_to_6(board):
    seen = []
    for _ in range(12):
        shake(board)
        seen.append(shown_number(board))
    assert None not in seen, (
        "After every shake the display should show a number from 1 to 6; after shake "
        f"{seen.index(None) + 1} it showed:\n\n{board.display()}")
    assert len(set(seen)) > 1, f"Twelve shakes all showed {seen[0]}: the number should be random"


def test_blank_until_shaken(board):
    board.run(1000)
    board.assert_no_error()
    assert board.display().blank, (
        "Before the first shake the display should be blank; it showed:\n\n"
        + str(board.display()))
    shake(board)
    assert shown_number(board) is not None, "After a shake the display should show a number"
