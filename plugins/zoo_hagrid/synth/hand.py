"""A hand as 2-D shapes in its own frame (palm width 1, fingers up, y up), from a :class:`Pose`.

Fingers are chains of three phalanges drawn as round-capped strokes; every shape is outlined so
that touching fingers stay distinguishable from spread ones. The 21 landmarks follow MediaPipe's
order: wrist, then thumb, index, middle, ring and little finger, four points each.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from zoo_hagrid.synth.poses import Pose

FINGER_X = (-0.36, -0.12, 0.12, 0.35)
FINGER_Y = (0.45, 0.5, 0.45, 0.38)
FINGER_LENGTH = (0.92, 1.02, 0.95, 0.84)
PHALANGES = (0.45, 0.3, 0.25)


@dataclass
class Shape:
    kind: str  # "stroke" (round-capped polyline) or "poly" (filled polygon)
    points: np.ndarray  # (N, 2), hand frame
    width: float = 0.0  # stroke width, hand frame
    colour: str = "skin"  # skin, fold, face, lips, mouth, sleeve
    outline: bool = True
    in_box: bool = True  # part of the hand's bounding box


@dataclass
class HandModel:
    shapes: list[Shape] = field(default_factory=list)
    landmarks: np.ndarray = field(default_factory=lambda: np.zeros((21, 2)))


def direction(degrees: float) -> np.ndarray:
    radians = np.deg2rad(degrees)
    return np.array([np.sin(radians), np.cos(radians)])


def chain(base: np.ndarray, length: float, angle: float, bend: float = 0.0) -> np.ndarray:
    """Four joints of a finger ``length`` long pointing at ``angle``, bending by ``bend``."""
    points = [base]
    for i, part in enumerate(PHALANGES):
        points.append(points[-1] + part * length * direction(angle + bend * i))
    return np.array(points)


def ellipse(centre: tuple[float, float], rx: float, ry: float, n: int = 28) -> np.ndarray:
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    return np.stack([centre[0] + rx * np.cos(t), centre[1] + ry * np.sin(t)], axis=1)


def rounded_rect(half_width: float, bottom: float, top: float, radius: float) -> np.ndarray:
    corners = [
        (half_width - radius, top - radius, 0.0),
        (-half_width + radius, top - radius, 90.0),
        (-half_width + radius, bottom + radius, 180.0),
        (half_width - radius, bottom + radius, 270.0),
    ]
    points = []
    for cx, cy, start in corners:
        for t in np.deg2rad(np.linspace(start, start + 90, 6)):
            points.append((cx + radius * np.cos(t), cy + radius * np.sin(t)))
    return np.array(points)


def _thumb(pose: Pose, half_width: float, length: float) -> np.ndarray:
    if pose.thumb == "fold":
        return np.array([[-half_width * 0.8, -0.28], [-0.2, -0.1], [0.05, -0.02], [0.2, 0.0]])
    if pose.thumb == "side":
        base = np.array([-half_width * 0.75, 0.28])
        return chain(base, length * 1.05, pose.thumb_angle, 4)
    if pose.thumb == "ok":
        return np.array([[-half_width * 0.85, -0.15], [-0.78, 0.2], [-0.86, 0.5], [-0.8, 0.72]])
    base = np.array([-half_width * 0.85, -0.18])
    bend = 25.0 if pose.thumb == "half" else 6.0
    scale = 0.75 if pose.thumb == "half" else 1.0
    return chain(base, length * scale, pose.thumb_angle, bend)


def build_hand(pose: Pose, finger_scale: float = 1.0, bend: float = 2.0) -> HandModel:
    """The shapes and landmarks of ``pose``; ``finger_scale`` and ``bend`` vary by person."""
    hand = HandModel()
    half_width = 0.32 if pose.profile else 0.5
    squeeze = half_width / 0.5
    if pose.lips:
        hand.shapes.append(
            Shape("poly", ellipse((0.05, 1.0), 1.45, 1.6), colour="face", in_box=False)
        )
        hand.shapes.append(
            Shape("poly", ellipse((0.0, 1.02), 0.55, 0.15), colour="lips", in_box=False)
        )
        line = np.array([[-0.5, 1.02], [0.5, 1.02]])
        hand.shapes.append(Shape("stroke", line, 0.03, "mouth", outline=False, in_box=False))
    sleeve = np.array([[0.0, -1.5], [0.0, -3.2]])
    forearm = np.array([[0.0, -0.3], [0.0, -1.6]])
    hand.shapes.append(Shape("stroke", sleeve, 2.0 * half_width * 1.25, "sleeve", in_box=False))
    hand.shapes.append(Shape("stroke", forearm, 2.0 * half_width * 0.78, in_box=False))

    thumb = _thumb(pose, half_width, 0.9 * finger_scale)
    if pose.thumb != "fold":
        hand.shapes.append(Shape("stroke", thumb, 0.31))

    joints, folded = [], []
    width = 0.25 if pose.together else 0.21
    for i, state in enumerate(pose.fingers):
        base = np.array([FINGER_X[i] * squeeze, FINGER_Y[i]])
        length = FINGER_LENGTH[i] * finger_scale
        if state == "ext":
            points = chain(base, length, pose.spread[i], bend)
        elif state == "half":
            points = chain(base, length * 0.55, pose.spread[i], 12 + bend)
        elif state == "ok":
            points = np.array([base, base + (0.04, 0.2), base + (0.1, 0.4), base + (0.12, 0.5)])
        else:  # folded: a knuckle above the palm's edge and the finger lying on the palm
            x, y = base
            points = np.array([base, (x, y + 0.1), (x, y - 0.15), (x, y - 0.3)])
            folded.append(
                Shape("stroke", points[[1, 3]], width * 1.08 * min(1, squeeze + 0.3), "fold")
            )
        if state != "fold":
            hand.shapes.append(Shape("stroke", points, width if i < 3 else width * 0.9))
        joints.append(points)
    palm = rounded_rect(half_width, -0.5, 0.52, 0.17)
    hand.shapes.append(Shape("poly", palm))
    hand.shapes.extend(folded)
    if pose.thumb == "fold":
        hand.shapes.append(Shape("stroke", thumb, 0.25, "fold"))
    if pose.thumb == "ok":
        ring = ellipse((-0.55, 1.0), 0.33, 0.33, 24)
        hand.shapes.append(Shape("stroke", np.vstack([ring, ring[:1]]), 0.17))
        hand.shapes.append(Shape("stroke", thumb, 0.26))
    hand.landmarks = np.vstack([[[0.0, -0.5]], thumb, *joints])
    return hand
