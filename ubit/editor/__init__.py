"""``ubit editor``: the browser editor, served on this computer, working offline.

``server`` (the web app), ``security`` (token, Host and Origin), ``projects`` (folders
of files that last), ``boards`` (a page's virtual boards over a websocket). The page
itself is built from ``frontend/`` into ``static/``.
"""
