"""Rendering one frame: a person's room, the person, a gesture hand and maybe an idle hand.

Everything that makes one synthetic *user* look like themselves (skin tone, hand size, room and
clutter, clothes, lighting, camera blur and noise, favourite tilt, leading hand) is drawn from
that user's own seed, so that a user-disjoint split really tests generalisation to new people.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from zoo_hagrid.synth.hand import HandModel, Shape, build_hand
from zoo_hagrid.synth.poses import POSES, Pose, idle_pose, jitter

SUPERSAMPLE = 2
LIGHT_SKIN = np.array([240.0, 205.0, 178.0])
DARK_SKIN = np.array([82.0, 52.0, 36.0])
Colour = tuple[int, int, int]
Transform = Callable[[np.ndarray], np.ndarray]


@dataclass(frozen=True)
class User:
    user_id: str
    skin: np.ndarray
    hand_size: float  # palm width, as a fraction of the frame height
    finger_scale: float
    bend: float
    tilt: float
    leading_hand: str
    room: int  # seed of the room's layout
    wall: np.ndarray
    shirt: np.ndarray
    light: float
    blur: float
    noise: float
    quality: int


def make_user(rng: np.random.Generator) -> User:
    tone = rng.uniform(0, 1)
    skin = LIGHT_SKIN + (DARK_SKIN - LIGHT_SKIN) * tone + rng.normal(0, 8, 3)
    return User(
        user_id=rng.bytes(16).hex(),
        skin=np.clip(skin, 30, 255),
        hand_size=float(rng.uniform(0.09, 0.14)),
        finger_scale=float(rng.uniform(0.9, 1.1)),
        bend=float(rng.uniform(-3, 5)),
        tilt=float(rng.normal(0, 4)),
        leading_hand="right" if rng.random() < 0.75 else "left",
        room=int(rng.integers(2**31)),
        wall=rng.uniform(20, 235, 3),
        shirt=rng.uniform(10, 245, 3),
        light=float(rng.uniform(0.7, 1.2)),
        blur=float(rng.uniform(0.0, 0.6)),
        noise=float(rng.uniform(1.0, 5.0)),
        quality=int(rng.integers(80, 96)),
    )


def _colour(value: np.ndarray | list[float]) -> Colour:
    r, g, b = np.clip(np.asarray(value), 0, 255).astype(int)
    return (int(r), int(g), int(b))


def draw_room(
    draw: ImageDraw.ImageDraw, user: User, size: tuple[int, int], rng: np.random.Generator
) -> None:
    """The user's wall and furniture (fixed per user), shifted a little per image."""
    width, height = size
    room = np.random.default_rng(user.room)
    draw.rectangle((0, 0, width, height), fill=_colour(user.wall))
    floor = height * room.uniform(0.6, 0.9)
    draw.rectangle((0, floor, width, height), fill=_colour(room.uniform(20, 235, 3)))
    dx, dy = rng.normal(0, 0.02, 2) * (width, height)
    for _ in range(int(room.integers(3, 8))):  # furniture, windows, pictures
        x0, y0 = room.uniform(-0.1, 1.0, 2) * (width, height) + (dx, dy)
        w, h = room.uniform(0.12, 0.5, 2) * (width, height)
        colour = _colour(room.uniform(0, 255, 3))
        if room.random() < 0.6:
            draw.rectangle((x0, y0, x0 + w, y0 + h), fill=colour)
        else:
            draw.ellipse((x0, y0, x0 + w, y0 + h), fill=colour)


def draw_person(
    draw: ImageDraw.ImageDraw, user: User, size: tuple[int, int], rng: np.random.Generator
) -> None:
    width, height = size
    cx = width * rng.uniform(0.35, 0.65)
    head = height * 0.13
    top = height * rng.uniform(0.12, 0.3)
    draw.rounded_rectangle(
        (cx - head * 2.2, top + head * 2.1, cx + head * 2.2, height * 1.1),
        radius=head,
        fill=_colour(user.shirt),
    )
    draw.ellipse(
        (cx - head * 0.45, top + head * 1.6, cx + head * 0.45, top + head * 2.4),
        fill=_colour(user.skin * 0.9),
    )
    draw.ellipse((cx - head * 0.8, top, cx + head * 0.8, top + head * 2.0), fill=_colour(user.skin))
    draw.chord(
        (cx - head * 0.85, top - head * 0.1, cx + head * 0.85, top + head * 1.3),
        180,
        360,
        fill=_colour(user.wall * 0.3),
    )


def place(centre: np.ndarray, scale: float, angle: float, mirror: bool) -> Transform:
    """The map from hand-frame points (y up) to image pixels (y down): mirror, turn ``angle``
    degrees counter-clockwise, scale, move to ``centre``."""
    radians = np.deg2rad(angle)
    rotation = np.array([[np.cos(radians), -np.sin(radians)], [np.sin(radians), np.cos(radians)]])
    flip = np.array([-1.0 if mirror else 1.0, 1.0])

    def to_image(points: np.ndarray) -> np.ndarray:
        turned = (points * flip) @ rotation.T
        return centre + scale * turned * (1.0, -1.0)

    return to_image


def shape_colours(user: User, light: float) -> dict[str, Colour]:
    skin = user.skin * light
    return {
        "skin": _colour(skin),
        "fold": _colour(skin * 0.9),
        "face": _colour(skin * 0.97 + 6),
        "lips": _colour(skin * np.array([0.85, 0.45, 0.45]) + (40, 0, 0)),
        "mouth": _colour(skin * 0.3),
        "sleeve": _colour(user.shirt * light),
        "outline": _colour(skin * 0.55),
    }


def draw_shape(
    draw: ImageDraw.ImageDraw,
    shape: Shape,
    points: np.ndarray,
    width: float,
    colours: dict[str, Colour],
) -> None:
    fill, line = colours[shape.colour], colours["outline"]
    flat = [tuple(p) for p in points]
    if shape.kind == "poly":
        draw.polygon(
            flat,
            fill=fill,
            outline=line if shape.outline else None,
            width=max(1, round(width * 0.05)),
        )
        return
    for colour, extra in (
        ((line, max(1.0, width * 0.16)), (fill, 0.0)) if shape.outline else ((fill, 0.0),)
    ):
        w = width + 2 * extra
        draw.line(flat, fill=colour, width=max(1, round(w)), joint="curve")
        for x, y in (flat[0], flat[-1]):
            draw.ellipse((x - w / 2, y - w / 2, x + w / 2, y + w / 2), fill=colour)


def draw_hand(
    draw: ImageDraw.ImageDraw,
    hand: HandModel,
    to_image: Transform,
    scale: float,
    colours: dict[str, Colour],
) -> tuple[list[float], np.ndarray]:
    """Draw ``hand``; return its bounding box ``[x0, y0, x1, y1]`` and landmarks, in pixels."""
    lows, highs = [], []
    for shape in hand.shapes:
        points = to_image(shape.points)
        width = shape.width * scale
        draw_shape(draw, shape, points, width, colours)
        if shape.in_box:
            margin = width / 2 * 1.1
            lows.append(points.min(axis=0) - margin)
            highs.append(points.max(axis=0) + margin)
    low, high = np.min(lows, axis=0), np.max(highs, axis=0)
    return [*low, *high], to_image(hand.landmarks)


@dataclass
class Rendered:
    image: Image.Image
    boxes: list[list[float]]  # normalized [x, y, w, h]
    labels: list[str]
    landmarks: list[list[list[float]]]


def render(
    gesture: str, user: User, size: tuple[int, int], rng: np.random.Generator, idle: bool
) -> Rendered:
    """One frame of ``user`` showing ``gesture`` (and an idle hand when ``idle``)."""
    width, height = size
    big = (width * SUPERSAMPLE, height * SUPERSAMPLE)
    image = Image.new("RGB", big)
    draw = ImageDraw.Draw(image)
    draw_room(draw, user, big, rng)
    draw_person(draw, user, big, rng)
    light = user.light * float(rng.uniform(0.85, 1.15))
    colours = shape_colours(user, light)
    mirror = (user.leading_hand == "left") != (rng.random() < 0.1)
    palm = user.hand_size * big[1] * float(rng.uniform(0.88, 1.12))
    hands: list[tuple[str, Pose, np.ndarray, bool]] = []
    side = -1.0 if mirror else 1.0
    x = big[0] * (0.5 + side * rng.uniform(0.1, 0.32))
    y = big[1] * rng.uniform(0.3, 0.6)
    hands.append((gesture, jitter(POSES[gesture], rng), np.array([x, y]), mirror))
    if idle:
        ix = big[0] * (0.5 - side * rng.uniform(0.15, 0.35))
        iy = big[1] * rng.uniform(0.6, 0.8)
        hands.append(("no_gesture", idle_pose(rng), np.array([ix, iy]), not mirror))
    result = Rendered(image, [], [], [])
    for label, pose, centre, flip in hands:
        hand = build_hand(pose, user.finger_scale, user.bend)
        angle = pose.rotation + user.tilt + float(rng.normal(0, 5))
        to_image = place(centre, palm, angle if not flip else -angle, flip)
        (x0, y0, x1, y1), marks = draw_hand(draw, hand, to_image, palm, colours)
        x0, y0 = max(x0, 0.0), max(y0, 0.0)
        x1, y1 = min(x1, big[0] - 1.0), min(y1, big[1] - 1.0)
        result.boxes.append([x0 / big[0], y0 / big[1], (x1 - x0) / big[0], (y1 - y0) / big[1]])
        result.labels.append(label)
        result.landmarks.append((marks / big).tolist())
    small = image.resize(size, Image.Resampling.BOX)
    result.image = finish(small, user, rng, light)
    return result


def finish(image: Image.Image, user: User, rng: np.random.Generator, light: float) -> Image.Image:
    """Camera effects: a lighting gradient, blur and sensor noise."""
    width, height = image.size
    blur = user.blur * height / 240 * float(rng.uniform(0.6, 1.4))
    if blur > 0.15:
        image = image.filter(ImageFilter.GaussianBlur(blur))
    pixels = np.asarray(image, dtype=np.float32)
    gx = np.linspace(-1, 1, width)[None, :, None] * rng.normal(0, 0.15)
    gy = np.linspace(-1, 1, height)[:, None, None] * rng.normal(0, 0.15)
    pixels = pixels * (1 + gx + gy) * (0.9 + 0.1 * light)
    pixels += rng.normal(0, user.noise, pixels.shape).astype(np.float32)
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
