from ubit.testing import Image


def test_a_sends_ping(board):
    board.run(200)
    board.click("A")
    board.run(300)
    sent = board.radio_messages()
    assert sent == ["ping"], f"After pressing A the micro:bit should send 'ping'; it sent {sent}"


def test_ping_shows_a_heart(board):
    board.run(200)
    board.send_radio("ping")
    board.run(300)
    board.assert_shows(Image.HEART, "When 'ping' arrives by radio the display should show "
                                    "Image.HEART")


def test_two_boards(board, make_board):
    # a second micro:bit running the same program; the test carries its packets across
    other = make_board()
    other.run(200)
    board.run(200)
    other.click("A")
    other.run(300)
    for packet in other.radio_sent():
        board.send_radio(packet.data, channel=packet.channel, group=packet.group)
    board.run(300)
    board.assert_shows(Image.HEART, "After pressing A on the other micro:bit this one should "
                                    "show Image.HEART")
