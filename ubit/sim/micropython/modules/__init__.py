"""The user-visible built-in modules, one file each: ``create(device)`` returns the names.

u-prefixed modules (``utime``, ``ustruct``…) are implemented once under the plain
name (``time.py``, ``struct.py``…); ``importer.canonical_name`` maps them.
"""
