"""PyInstaller runtime hook (build_installer.spec): a stand-in for PySide6.QtOpenGL, left out of the folder.

The binding weighs 8.5 Mo and the application never draws with OpenGL, but pyqtgraph imports it as it
starts (PColorMeshItem, for its OpenGL path). The stand-in answers that import; asking it for any
class raises an AttributeError that says why, instead of the folder failing to start.
"""

import sys
import types


class _LeftOut(types.ModuleType):
    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        raise AttributeError(f"PySide6.QtOpenGL.{name} : OpenGL n'est pas inclus dans cette installation de Bons Jours")


sys.modules.setdefault("PySide6.QtOpenGL", _LeftOut("PySide6.QtOpenGL"))
