def test_shows_a_warm_day(board):
    board.set_temperature(24)
    board.run(100)
    board.click("A")
    board.run(3000)
    board.assert_scrolled("24")


def test_shows_a_cold_day(board):
    board.set_temperature(21)
    board.run(100)
    board.set_temperature(-3)
    board.run(100)
    board.click("A")
    board.run(3000)
    board.assert_scrolled("-3")


def test_waits_for_a(board):
    board.set_temperature(30)
    board.run(3000)
    board.assert_scrolled("", "Before button A is pressed, the display should show nothing")
    board.click("A")
    board.run(3000)
    board.assert_scrolled("30")
