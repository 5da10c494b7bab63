"""``typing``'s names for annotations, without importing ``typing`` at run time.

``typing`` (with ``re`` and ``contextlib`` behind it) costs every board process and every
``ubit run`` milliseconds of start-up (issue 17). The emulation's annotations are never
evaluated (``from __future__ import annotations``), so they need ``Any`` only for a type
checker, which reads the ``TYPE_CHECKING`` branch; the few type aliases made at run time
(``Message = dict[str, Any]``) get a stand-in that means nothing to Python.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any as Any
else:
    Any = object  # only ever subscripted into aliases (``dict[str, Any]``), never checked
