"""Fixtures of the editor's browser tests."""

from tests.editor.browser import browser, editor, page  # noqa: F401 - pytest fixtures
