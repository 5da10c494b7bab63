from ubit.testing import Image

BLANK = Image("00000:00000:00000:00000:00000", "a blank display")


def test_a_shows_a_heart(board):
    board.run(200)
    board.click("A")
    board.run(200)
    board.assert_shows(Image.HEART)


def test_b_clears_the_display(board):
    board.click("A")
    board.run(200)
    board.assert_shows(Image.HEART)
    board.click("B")
    board.run(200)
    board.assert_shows(BLANK)


def test_nothing_before_a_press(board):
    board.run(1000)
    board.assert_no_error()
    board.assert_shows(BLANK)
