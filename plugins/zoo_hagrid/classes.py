"""HaGRID class lists, in the authors' order: a label's index is its position here."""

from __future__ import annotations

from zoo_core.errors import InvalidValue

NO_GESTURE = "no_gesture"

#: HaGRID v1 (and HaGRID 2.0): 18 gestures; ``no_gesture`` marks a second, idle hand.
V1_GESTURES: tuple[str, ...] = (
    "call",
    "dislike",
    "fist",
    "four",
    "like",
    "mute",
    "ok",
    "one",
    "palm",
    "peace",
    "rock",
    "stop",
    "stop_inverted",
    "three",
    "two_up",
    "two_up_inverted",
    "three2",
    "peace_inverted",
)

#: HaGRIDv2 (1M images): 33 gestures, two-handed ones included.
V2_1M_GESTURES: tuple[str, ...] = (
    "grabbing",
    "grip",
    "holy",
    "point",
    "call",
    "three3",
    "timeout",
    "xsign",
    "hand_heart",
    "hand_heart2",
    "little_finger",
    "middle_finger",
    "take_picture",
    "dislike",
    "fist",
    "four",
    "like",
    "mute",
    "ok",
    "one",
    "palm",
    "peace",
    "peace_inverted",
    "rock",
    "stop",
    "stop_inverted",
    "three",
    "three2",
    "two_up",
    "two_up_inverted",
    "three_gun",
    "thumb_index",
    "thumb_index2",
)

V1_CLASSES: tuple[str, ...] = (*V1_GESTURES, NO_GESTURE)
V2_1M_CLASSES: tuple[str, ...] = (*V2_1M_GESTURES, NO_GESTURE)

#: Annotation format → full class list (gestures then ``no_gesture``).
FORMAT_CLASSES: dict[str, tuple[str, ...]] = {
    "v1": V1_CLASSES,
    "v2": V1_CLASSES,
    "v2-1M": V2_1M_CLASSES,
}
FORMATS: tuple[str, ...] = tuple(FORMAT_CLASSES)

#: Gestures that exist only in HaGRIDv2-1M: their presence identifies the format.
V2_1M_ONLY: frozenset[str] = frozenset(V2_1M_GESTURES) - frozenset(V1_GESTURES)


def classes_for(fmt: str, no_gesture: bool = True) -> tuple[str, ...]:
    """The class list of ``fmt``; without ``no_gesture`` when the task leaves idle hands out."""
    try:
        classes = FORMAT_CLASSES[fmt]
    except KeyError:
        raise InvalidValue(f"unknown HaGRID format {fmt!r}; known: {', '.join(FORMATS)}") from None
    return classes if no_gesture else classes[:-1]
