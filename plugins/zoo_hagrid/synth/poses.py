"""The 18 HaGRID v1 gestures as finger configurations, plus the idle (``no_gesture``) hand.

Angles are degrees from "fingers up", positive toward the little finger; ``rotation`` turns the
whole hand counter-clockwise. Finger states: ``ext`` (extended), ``fold`` (curled into the palm),
``half`` (relaxed), ``ok`` (index tip meeting the thumb tip in a ring).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np


@dataclass(frozen=True)
class Pose:
    fingers: tuple[str, str, str, str]  # index, middle, ring, little
    spread: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    thumb: str = "fold"  # out | along | side | fold | ok | half
    thumb_angle: float = -55.0
    together: bool = False  # extended fingers touching (stop, two_up) or apart (palm, peace)
    rotation: float = 0.0
    profile: bool = False  # seen from the side: a narrower palm
    lips: bool = False  # the index finger crosses the lips (mute)


FOLDED = ("fold", "fold", "fold", "fold")
STOP = Pose(("ext",) * 4, (-2, -1, 1, 2), "along", -14, together=True)
TWO_UP = Pose(("ext", "ext", "fold", "fold"), (-1, 1, 0, 0), together=True)
PEACE = Pose(("ext", "ext", "fold", "fold"), (-20, 17, 0, 0))

POSES: dict[str, Pose] = {
    "call": Pose(("fold", "fold", "fold", "ext"), (0, 0, 0, 40), "out", -85, rotation=-20),
    "dislike": Pose(FOLDED, thumb="side", thumb_angle=-90, rotation=90),
    "fist": Pose(FOLDED),
    "four": Pose(("ext",) * 4, (-11, -3, 5, 13)),
    "like": Pose(FOLDED, thumb="side", thumb_angle=-90, rotation=-90),
    "mute": Pose(("ext", "fold", "fold", "fold"), profile=True, lips=True),
    "ok": Pose(("ok", "ext", "ext", "ext"), (0, -3, 8, 19), "ok"),
    "one": Pose(("ext", "fold", "fold", "fold")),
    "palm": Pose(("ext",) * 4, (-17, -5, 7, 20), "out", -58),
    "peace": PEACE,
    "rock": Pose(("ext", "fold", "fold", "ext"), (-10, 0, 0, 25)),
    "stop": STOP,
    "stop_inverted": replace(STOP, rotation=180),
    "three": Pose(("ext", "ext", "fold", "fold"), (-12, 8, 0, 0), "out", -65),
    "two_up": TWO_UP,
    "two_up_inverted": replace(TWO_UP, rotation=180),
    "three2": Pose(("ext", "ext", "ext", "fold"), (-13, 0, 12, 0)),
    "peace_inverted": replace(PEACE, rotation=180),
}


def idle_pose(rng: np.random.Generator) -> Pose:
    """A relaxed, hanging hand: half-curled fingers, no gesture."""
    spread = tuple(float(v) for v in rng.uniform(-6, 6, 4) + np.array([-8, -2, 4, 10]))
    fingers = tuple(str(s) for s in rng.choice(["half", "half", "fold"], 4))
    return Pose(
        fingers=fingers,  # type: ignore[arg-type]
        spread=spread,  # type: ignore[arg-type]
        thumb="half",
        thumb_angle=float(rng.uniform(-50, -20)),
        rotation=float(rng.normal(180, 35)),
        profile=bool(rng.random() < 0.4),
    )


def jitter(pose: Pose, rng: np.random.Generator, degrees: float = 3.0) -> Pose:
    """The same gesture with each finger's angle moved a little."""
    spread = tuple(float(a + rng.normal(0, degrees)) for a in pose.spread)
    if pose.together:  # touching fingers stay (nearly) parallel
        spread = tuple(float(a + rng.normal(0, degrees / 4)) for a in pose.spread)
    thumb = float(pose.thumb_angle + rng.normal(0, degrees))
    return replace(pose, spread=spread, thumb_angle=thumb)  # type: ignore[arg-type]
