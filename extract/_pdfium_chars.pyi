"""Types of the optional C extension (extract/_pdfium_chars.c)."""

from typing import Any

def read(
    get_text_object: int,
    get_loose_char_box: int,
    get_char_origin: int,
    text_page: int,
    candidates: Any,
    index: Any,
    objects: Any,
    boxes: Any,
    origins: Any,
    boxed: Any,
    /,
) -> int: ...
