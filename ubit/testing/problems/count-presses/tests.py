def press(board, button, times=1):
    for _ in range(times):
        board.click(button)
        board.run(100)


def test_counts_three_presses(board):
    press(board, "B", 3)
    press(board, "A")
    board.run(2500)
    board.assert_scrolled("3")


def test_starts_at_zero(board):
    press(board, "A")
    board.run(2500)
    board.assert_scrolled("0")


def test_counts_on_after_showing(board):
    press(board, "B", 2)
    press(board, "A")
    board.run(2500)
    press(board, "B", 10)
    press(board, "A")
    board.run(3000)
    board.assert_scrolled("212")
