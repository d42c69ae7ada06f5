"""What defines one ``hagrid-synth`` dataset: the generator's version and its parameters.

Kept free of numpy and Pillow so that ``zoo data synth --help`` shows these defaults cheaply.
"""

from __future__ import annotations

from dataclasses import dataclass

from zoo_core.errors import InvalidValue

GENERATOR_VERSION = 4
MARKER = "zoo-synth.json"  # written into every generated folder: its parameters


@dataclass(frozen=True)
class SynthParams:
    per_class: int = 120
    users: int = 120
    width: int = 320
    height: int = 240
    seed: int = 0

    @property
    def tag(self) -> str:
        return (
            f"hagrid-synth-v{GENERATOR_VERSION}-{self.width}x{self.height}"
            f"-{self.per_class}pc-{self.users}u-s{self.seed}"
        )


def parse_size(text: str) -> tuple[int, int]:
    """``"320x240"`` → ``(320, 240)``."""
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise InvalidValue(f"size {text!r}: expected WIDTHxHEIGHT, e.g. 320x240") from None
    if width < 32 or height < 32:
        raise InvalidValue(f"size {text!r}: at least 32x32")
    return width, height
