TUNE = ["C4", "E4", "G4"]


def played(board):
    return [note.name for note in board.notes()]


def test_a_plays_the_tune(board):
    board.run(200)
    board.click("A")
    board.run(3000)
    assert played(board) == TUNE, (
        f"After pressing button A the micro:bit should play {TUNE}; it played {played(board)}")


def test_silent_until_pressed(board):
    board.run(2000)
    board.assert_no_error()
    assert played(board) == [], f"Before any press it should be silent; it played {played(board)}"


def test_plays_again(board):
    for _ in range(2):
        board.click("A")
        board.run(3000)
    assert played(board) == TUNE * 2, (
        f"After pressing A twice it should play {TUNE * 2}; it played {played(board)}")
