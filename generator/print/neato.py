"""Graphviz's ``neato -n2`` (nodes and edges where the DOT puts them) drawn as SVG, inside
this process through Graphviz's own library when it loads, with the ``neato`` command
otherwise.

Each run of the command spends some 20 ms of CPU loading Graphviz's plugins and fonts
before it draws a page in 2 or 3; the library (libgvc, the code the command runs: its
``nop2`` layout is ``neato -n2``) loads them once per process. Both write the same bytes
(a test compares them). Graphviz keeps global state, so one drawing at a time per process.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import threading
from dataclasses import dataclass, field
from typing import Any

from generator.model.problems import RenderError

_ERROR_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_char_p)


@dataclass
class _Graphviz:
    """The loaded libraries, a context, and the messages Graphviz sent since the last drawing."""

    gvc: Any
    cgraph: Any
    context: int
    pid: int
    messages: list[str] = field(default_factory=list)
    callback: Any = None  # kept referenced: Graphviz calls it


_LOCK = threading.Lock()
_loaded: _Graphviz | None = None
_unavailable = False


def _library_path(name: str) -> str | None:
    """Where the shared library ``name`` is (``None`` when it is not installed)."""
    return ctypes.util.find_library(name)


def _load() -> _Graphviz | None:
    """Graphviz's libraries, loaded and given a context once per process (``None`` when
    they are missing or lack what is needed). Called with :data:`_LOCK` held."""
    global _loaded, _unavailable
    if _unavailable:
        return None
    if _loaded is not None:
        if _loaded.pid != os.getpid():  # a forked worker: a context of its own
            _loaded.context = _loaded.gvc.gvContext()
            _loaded.pid = os.getpid()
        return _loaded
    gvc_path, cgraph_path = _library_path("gvc"), _library_path("cgraph")
    try:
        if not gvc_path or not cgraph_path:
            raise OSError("libgvc or libcgraph not found")
        gvc, cgraph = ctypes.CDLL(gvc_path), ctypes.CDLL(cgraph_path)
        gvc.gvContext.restype = ctypes.c_void_p
        gvc.gvContext.argtypes = []
        gvc.gvLayout.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_char_p]
        gvc.gvLayout.restype = ctypes.c_int
        gvc.gvRenderData.argtypes = [
            ctypes.c_void_p,
            ctypes.c_void_p,
            ctypes.c_char_p,
            ctypes.POINTER(ctypes.c_void_p),
            ctypes.POINTER(ctypes.c_uint),
        ]
        gvc.gvRenderData.restype = ctypes.c_int
        gvc.gvFreeRenderData.argtypes = [ctypes.c_void_p]
        gvc.gvFreeRenderData.restype = None
        gvc.gvFreeLayout.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
        gvc.gvFreeLayout.restype = ctypes.c_int
        cgraph.agmemread.argtypes = [ctypes.c_char_p]
        cgraph.agmemread.restype = ctypes.c_void_p
        cgraph.agclose.argtypes = [ctypes.c_void_p]
        cgraph.agclose.restype = ctypes.c_int
        cgraph.agseterrf.argtypes = [_ERROR_CALLBACK]
        cgraph.agseterrf.restype = ctypes.c_void_p
    except (OSError, AttributeError):
        _unavailable = True
        return None
    graphviz = _Graphviz(gvc=gvc, cgraph=cgraph, context=gvc.gvContext(), pid=os.getpid())

    def collect(message: bytes | None) -> int:
        # Graphviz's warnings and errors come here instead of the terminal (the command's
        # went to a pipe nobody read); an error is reported with the failure it causes.
        graphviz.messages.append((message or b"").decode("utf-8", "replace"))
        return 0

    graphviz.callback = _ERROR_CALLBACK(collect)
    cgraph.agseterrf(graphviz.callback)
    if not graphviz.context:
        _unavailable = True
        return None
    _loaded = graphviz
    return graphviz


def uses_library() -> bool:
    """Whether drawings are made by Graphviz's library in this process (not the command)."""
    with _LOCK:
        return _load() is not None


def draw_svg(dot: str) -> str:
    """The SVG Graphviz draws for ``dot`` with ``neato -n2``.

    Raises :class:`RenderError` when the library cannot draw it; without the library,
    whatever the ``graphviz`` package raises for the command.
    """
    with _LOCK:
        graphviz = _load()
        if graphviz is not None:
            return _draw_in_process(graphviz, dot)
    return _draw_with_command(dot)


def _draw_in_process(graphviz: _Graphviz, dot: str) -> str:
    """``neato -n2 -Tsvg`` through libgvc (called with :data:`_LOCK` held)."""
    gvc, cgraph = graphviz.gvc, graphviz.cgraph
    graphviz.messages.clear()
    graph = cgraph.agmemread(dot.encode("utf-8"))
    if not graph:
        raise RenderError(f"Graphviz gagal membaca diagram: {''.join(graphviz.messages).strip()!r}")
    try:
        if gvc.gvLayout(graphviz.context, graph, b"nop2") != 0:
            raise RenderError(f"Graphviz gagal menggambar diagram: {''.join(graphviz.messages).strip()!r}")
        try:
            data, length = ctypes.c_void_p(), ctypes.c_uint()
            if gvc.gvRenderData(graphviz.context, graph, b"svg", ctypes.byref(data), ctypes.byref(length)) != 0:
                raise RenderError(f"Graphviz gagal menggambar diagram: {''.join(graphviz.messages).strip()!r}")
            try:
                return ctypes.string_at(data, length.value).decode("utf-8")
            finally:
                gvc.gvFreeRenderData(data)
        finally:
            gvc.gvFreeLayout(graphviz.context, graph)
    finally:
        cgraph.agclose(graph)


def _draw_with_command(dot: str) -> str:
    """``neato -n2 -Tsvg`` as a command (quiet: its notes would go to the terminal)."""
    import graphviz

    svg: str = graphviz.Source(dot, engine="neato").pipe(format="svg", neato_no_op=2, encoding="utf-8", quiet=True)
    return svg
