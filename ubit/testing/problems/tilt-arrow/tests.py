from ubit.testing import Image


def test_tilted_left_points_left(board):
    board.tilt(x=-600)
    board.run(500)
    board.assert_shows(Image.ARROW_W)


def test_tilted_right_points_right(board):
    board.tilt(x=700)
    board.run(500)
    board.assert_shows(Image.ARROW_E)


def test_flat_shows_nothing(board):
    board.tilt(x=-800)
    board.run(500)
    board.assert_shows(Image.ARROW_W)
    board.tilt(x=50)
    board.run(500)
    assert board.display().blank, (
        "After laying the micro:bit flat the display should be blank; it showed:\n\n"
        + str(board.display()))
