def log_light(board, level):
    board.set_light(level)
    board.run(200)
    board.click("A")
    board.run(300)


def light_file(board):
    data = board.files().get("light.txt")
    return None if data is None else data.decode("utf-8", "replace")


def test_one_reading(board):
    log_light(board, 120)
    board.assert_no_error()
    assert light_file(board) == "120\n", (
        f"After one press in light level 120, light.txt should hold '120\\n'; "
        f"it holds {light_file(board)!r}")


def test_keeps_every_reading(board):
    for level in (120, 80, 5):
        log_light(board, level)
    assert light_file(board) == "120\n80\n5\n", (
        "After presses in light levels 120, 80 and 5, light.txt should hold "
        f"'120\\n80\\n5\\n'; it holds {light_file(board)!r}")


def test_no_file_before_a(board):
    board.set_light(60)
    board.run(2000)
    assert light_file(board) is None, "Before A is pressed there should be no light.txt"
    log_light(board, 60)
    assert light_file(board) == "60\n", (
        f"After a press in light level 60, light.txt should hold '60\\n'; "
        f"it holds {light_file(board)!r}")
