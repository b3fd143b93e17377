"""peerkit: turn a peer-support program written as YAML into a handbook site and PDFs."""

from __future__ import annotations

from kit.errors import KitError, Problem
from kit.validate import load_kit

__all__ = ["KitError", "Problem", "load_kit"]
__version__ = "0.1.0"
