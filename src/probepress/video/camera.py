"""The camera's own motion: pan, zoom and roll, estimated once per clip from the background.

Generated videos often move the camera (pans, dollies, slow zooms). Probes that follow
an object on screen (gravity, shadow, reflection) assume a still camera, so each of
them asks this module how the camera moved and either compensates it or refuses to
measure.

Method: corners (Shi-Tomasi) of frame ``t`` are followed to frame ``t+1`` with
pyramidal Lucas-Kanade and checked backward (forward-backward error); a similarity
transform (translation, uniform scale, rotation) is fitted to the surviving pairs
with RANSAC (``cv2.estimateAffinePartial2D``), then refined into a homography of the
points that agree (``cv2.findHomography``). Most points of a scene belong to the
background, so the transform that most points agree on is the camera's; the share of
points that agree (``background_fraction``) says how sure that is. The per-step
transforms are chained into a path: where the frame's centre has moved to, how much
the picture has been magnified and how far it has turned.

Sign conventions: ``pan_x`` is positive when the picture content moves right on screen
(the camera turns left), ``pan_y`` positive when content moves down; ``roll`` is
positive when content turns counter-clockwise on screen (as the rotation probe's
angular velocity); ``zoom_per_s`` is the rate of ``log(magnification)``: positive when
content grows (zoom in, dolly in).

References
----------
Shi, J. & Tomasi, C. (1994). Good features to track. CVPR.
https://doi.org/10.1109/CVPR.1994.323794
Fischler, M. A. & Bolles, R. C. (1981). Random sample consensus. CACM 24(6).
https://doi.org/10.1145/358669.358692
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from probepress.video.decode import Clip

__all__ = [
    "CAMERA_DEFAULTS",
    "CameraMotion",
    "FirstMove",
    "StillBounds",
    "camera_motion",
    "first_move",
    "motion_words",
]

#: Estimator settings. Lengths are in estimation pixels (frames resized to ``long_side``).
CAMERA_DEFAULTS = {
    "long_side": 240,
    "max_corners": 200,
    "quality": 0.01,
    "min_distance": 6,
    "win_size": 15,
    "levels": 3,
    "fb_max_px": 0.5,
    "ransac_px": 0.75,
    "samples_per_s": 12.0,
}
# Fewer tracked points than this in a step leaves the step unestimated (NaN).
_MIN_POINTS = 12
# Background points needed to refine the similarity into a homography.
_MIN_HOMOGRAPHY_POINTS = 24


@dataclass(frozen=True)
class CameraMotion:
    """How the camera moved during a clip, in original-frame pixels and seconds.

    Attributes
    ----------
    path_x, path_y : np.ndarray
        ``(T,)`` cumulative displacement of the picture's content at the frame centre
        since frame 0, in original pixels (+x right, +y down on screen); NaN after a
        step that could not be estimated.
    log_scale : np.ndarray
        ``(T,)`` cumulative ``log`` magnification since frame 0.
    roll_deg : np.ndarray
        ``(T,)`` cumulative rotation of the content since frame 0, in degrees
        (+ = counter-clockwise on screen).
    background_fraction : float
        Median share of tracked points that agree with the fitted camera motion
        (0..1); low values mean the scene has no dominant still background.
    estimated_fraction : float
        Share of frame steps with enough tracked points to estimate the motion.
    fps : float
        Frames per second (for rates).
    sampled : np.ndarray
        Indices of the frames whose pose was estimated (the rest are interpolated).
    sampled_poses : np.ndarray
        ``(len(sampled), 4)``: those poses as estimated, NaN where unknown: content
        displacement x and y (original px), log magnification, roll (degrees).
    """

    path_x: np.ndarray
    path_y: np.ndarray
    log_scale: np.ndarray
    roll_deg: np.ndarray
    background_fraction: float
    estimated_fraction: float
    fps: float
    sampled: np.ndarray
    sampled_poses: np.ndarray

    @property
    def duration(self) -> float:
        """Seconds spanned by the path."""
        return max(len(self.path_x) - 1, 1) / self.fps

    @property
    def pan_x_px_s(self) -> float:
        """Mean horizontal pan speed of the content, original px/s (+ = rightward)."""
        return _rate(self.path_x, self.fps)

    @property
    def pan_y_px_s(self) -> float:
        """Mean vertical pan speed of the content, original px/s (+ = downward)."""
        return _rate(self.path_y, self.fps)

    @property
    def pan_px_s(self) -> float:
        """Speed of the pan, original px/s: the length of the mean pan velocity."""
        return math.hypot(self.pan_x_px_s, self.pan_y_px_s)

    @property
    def zoom_per_s(self) -> float:
        """Rate of log magnification per second (+ = zooming in)."""
        return _rate(self.log_scale, self.fps)

    @property
    def roll_deg_s(self) -> float:
        """Roll rate of the content, degrees per second (+ = counter-clockwise)."""
        return _rate(self.roll_deg, self.fps)

    @property
    def max_shift_px(self) -> float:
        """Largest displacement of the content from where it was in frame 0, original px."""
        shift = np.hypot(self.path_x, self.path_y)
        return float(np.nanmax(shift)) if np.isfinite(shift).any() else math.nan

    def is_still(self, *, shift_px: float, zoom: float = 0.01, roll_deg: float = 0.5) -> bool:
        """Whether the camera stayed within these bounds over the whole clip.

        Parameters
        ----------
        shift_px : float
            Largest content displacement allowed, original pixels.
        zoom : float
            Largest ``|log magnification|`` allowed (0.01 is 1 %).
        roll_deg : float
            Largest rotation allowed, degrees.
        """
        # The path between sampled poses is interpolated, so it never leaves bounds that
        # every sampled pose stays within.
        return _first_outside(self, StillBounds(shift_px, zoom, roll_deg)) is None

    def describe(self) -> str:
        """How the camera moves, in words, for probe failure messages."""
        parts = motion_words(self.pan_px_s, self.zoom_per_s, self.roll_deg_s)
        if not parts:
            parts.append(f"shifts the picture by up to {self.max_shift_px:.1f} px")
        return "the camera " + ", ".join(parts)


def motion_words(pan_px_s: float, zoom_per_s: float, roll_deg_s: float) -> list[str]:
    """The noticeable parts of a camera motion, in words (``pans 12.0 px/s``, ...)."""
    parts = []
    if pan_px_s >= 0.5:
        parts.append(f"pans {pan_px_s:.1f} px/s")
    if abs(zoom_per_s) >= 0.002:
        parts.append(f"zooms {100 * zoom_per_s:+.1f} %/s")
    if abs(roll_deg_s) >= 0.05:
        parts.append(f"rolls {roll_deg_s:+.2f} °/s")
    return parts


@dataclass(frozen=True)
class StillBounds:
    """How far a camera may move over a clip and still count as still.

    Attributes
    ----------
    shift_px : float
        Largest content displacement from frame 0, original pixels.
    zoom : float
        Largest ``|log magnification|`` (0.01 is 1 %).
    roll_deg : float
        Largest rotation, degrees.
    """

    shift_px: float
    zoom: float = 0.01
    roll_deg: float = 0.5

    def exceeded_by(self, dx: float, dy: float, log_scale: float, roll_deg: float) -> bool:
        """Whether one pose (original px, log scale, degrees) is outside the bounds."""
        return bool(
            math.hypot(dx, dy) > self.shift_px
            or abs(log_scale) > self.zoom
            or abs(roll_deg) > self.roll_deg
        )


@dataclass(frozen=True)
class FirstMove:
    """The first estimated pose outside a :class:`StillBounds`, and when it came.

    Attributes
    ----------
    seconds : float
        Time of that pose since frame 0.
    shift_px, zoom, roll_deg : float
        The pose: content displacement (original px), ``log`` magnification, roll (°).
    """

    seconds: float
    shift_px: float
    zoom: float
    roll_deg: float

    def describe(self) -> str:
        """The move in words, for probe failure messages."""
        parts = [f"shifts the picture {self.shift_px:.0f} px"]
        if abs(self.zoom) >= 0.005:
            parts.append(f"zooms {100 * self.zoom:+.1f} %")
        if abs(self.roll_deg) >= 0.05:
            parts.append(f"rolls {self.roll_deg:+.1f}°")
        return f"the camera moves: it {', '.join(parts)} within the first {self.seconds:.2f} s"


def camera_motion(clip: Clip) -> CameraMotion:
    """The camera's motion in ``clip``, estimated once and cached on the clip."""
    key = _cache_key()
    if key not in clip._cache:
        _estimate_of(clip).until(None)
        clip._cache[key] = clip._cache.pop(_partial_key()).motion()
    return clip._cache[key]


def first_move(clip: Clip, bounds: StillBounds) -> FirstMove | None:
    """The camera's first pose outside ``bounds``; ``None`` if it stays inside them.

    A probe that needs a still camera needs only this, and on a moving camera it comes
    after a few frames instead of the whole clip's path. The estimate stops there and
    is kept on the clip, so a probe that needs more of the path later resumes it rather
    than starting again. The answer is the same whether the clip's path was estimated
    before or not: both read the same sampled poses. When the camera stays still, the
    whole path is estimated and cached as :func:`camera_motion`'s.
    """
    motion = clip._cache.get(_cache_key())
    if motion is not None:
        return _first_outside(motion, bounds)
    move = _estimate_of(clip).until(bounds)
    if move is None:  # the whole path was estimated on the way
        clip._cache[_cache_key()] = clip._cache.pop(_partial_key()).motion()
    return move


def _cache_key() -> tuple:
    return ("camera-motion", tuple(sorted(CAMERA_DEFAULTS.items())))


def _partial_key() -> tuple:
    return ("camera-motion-so-far", tuple(sorted(CAMERA_DEFAULTS.items())))


def _estimate_of(clip: Clip) -> _PathEstimate:
    """The clip's camera path estimate as far as it has gone (started when none is)."""
    key = _partial_key()
    if key not in clip._cache:
        clip._cache[key] = _PathEstimate(clip.gray, fps=clip.fps, scale=clip.scale)
    return clip._cache[key]


def _first_outside(motion: CameraMotion, bounds: StillBounds) -> FirstMove | None:
    for index, pose in zip(motion.sampled, motion.sampled_poses, strict=True):
        if (move := _move_if_outside(pose, index, motion.fps, bounds)) is not None:
            return move
    return None


def _move_if_outside(
    pose: np.ndarray, index: int, fps: float, bounds: StillBounds
) -> FirstMove | None:
    """The sampled pose of frame ``index`` as a :class:`FirstMove` if beyond ``bounds``."""
    if np.isfinite(pose).all() and bounds.exceeded_by(*pose):
        return FirstMove(float(index / fps), math.hypot(*pose[:2]), *pose[2:])
    return None


def estimate_camera_motion(
    gray: np.ndarray, *, fps: float, scale: float = 1.0, stop: StillBounds | None = None
) -> CameraMotion | FirstMove:
    """Estimate the camera path of ``(T, h, w)`` uint8 frames.

    Points are followed frame to frame, but each frame's transform is fitted against
    the keyframe where the points were found, not the previous frame: a slow pan moves
    a point a fraction of a pixel per frame, too little to tell from a still camera,
    but many pixels over a second. A new keyframe is taken when half the points are lost.

    Parameters
    ----------
    gray : np.ndarray
        Luma frames at analysis resolution.
    fps : float
        Frames per second.
    scale : float
        Analysis pixels per original pixel; the path is returned in original pixels.
    stop : StillBounds, optional
        Give up at the first sampled pose outside these bounds and return it as a
        :class:`FirstMove` (the poses before it are the same as without ``stop``).
    """
    estimate = _PathEstimate(gray, fps=fps, scale=scale)
    move = estimate.until(stop)
    return move if move is not None else estimate.motion()


class _PathEstimate:
    """The camera path estimated sample by sample, resumable where it stopped.

    Each call of :meth:`until` goes on from the last sampled pose, so the poses are
    the same however many times the estimate stopped on the way.
    """

    def __init__(self, gray: np.ndarray, *, fps: float, scale: float) -> None:
        self.gray, self.fps = gray, fps
        self.settings = CAMERA_DEFAULTS
        n_frames, height, width = gray.shape
        self.n_frames = n_frames
        factor = min(1.0, self.settings["long_side"] / max(height, width))
        self.size = (max(1, round(width * factor)), max(1, round(height * factor)))
        self.centre = np.array([(self.size[0] - 1) / 2, (self.size[1] - 1) / 2])
        self.to_original = 1.0 / (factor * scale)
        self.lk = {"winSize": (self.settings["win_size"],) * 2, "maxLevel": self.settings["levels"]}
        # The camera moves smoothly: about a dozen poses a second, interpolated between,
        # cost a fraction of following every frame and lose nothing a probe could use.
        step = max(1, int(round(fps / self.settings["samples_per_s"])))
        self.sampled = list(range(0, n_frames, step))
        if self.sampled and self.sampled[-1] != n_frames - 1:
            self.sampled.append(n_frames - 1)
        self.poses = np.full((len(self.sampled), 4), np.nan)  # original px, log, degrees
        self.agreement: list[float] = []
        self.key_points: np.ndarray | None = None
        self.current: np.ndarray | None = None
        self.key_pose = np.eye(3)
        self.previous: np.ndarray | None = None
        self.done = 0  # sampled poses estimated so far

    def until(self, stop: StillBounds | None) -> FirstMove | None:
        """Estimate on to the first pose outside ``stop`` (``None``: to the end)."""
        if stop is not None:  # poses estimated by an earlier call come first
            for t in range(self.done):
                if (move := self._outside(t, stop)) is not None:
                    return move
        while self.done < len(self.sampled):
            t = self.done
            self._step(t)
            self.done += 1
            if stop is not None and (move := self._outside(t, stop)) is not None:
                return move
        return None

    def motion(self) -> CameraMotion:
        """The whole path (call once :meth:`until` has gone to the end)."""
        if self.done < len(self.sampled):
            raise RuntimeError("the camera path is not estimated to the end yet")
        sampled = self.sampled
        estimated = float(np.isfinite(self.poses[1:, 0]).mean()) if len(sampled) > 1 else 0.0
        poses = _interpolate(sampled, self.poses, self.n_frames)
        return CameraMotion(
            path_x=poses[:, 0],
            path_y=poses[:, 1],
            log_scale=poses[:, 2],
            roll_deg=poses[:, 3],
            background_fraction=float(np.median(self.agreement)) if self.agreement else 0.0,
            estimated_fraction=estimated,
            fps=self.fps,
            sampled=np.asarray(sampled),
            sampled_poses=self.poses,
        )

    def _outside(self, t: int, stop: StillBounds) -> FirstMove | None:
        return _move_if_outside(self.poses[t], self.sampled[t], self.fps, stop)

    def _step(self, t: int) -> None:
        """Estimate the pose of sampled frame ``t`` and reseed the keyframe if needed."""
        settings = self.settings
        frame = _small(self.gray[self.sampled[t]], self.size)
        pose_matrix = np.eye(3) if t == 0 else None  # None: pose unknown at this sample
        if t > 0 and self.key_points is not None:
            current, alive = _follow(self.previous, frame, self.current, settings, self.lk)
            self.key_points, self.current = self.key_points[alive], current[alive]
            fitted = (
                _fit(self.key_points, self.current, settings)
                if len(self.current) >= _MIN_POINTS
                else None
            )
            if fitted is None:
                self.key_points = None  # lost: start again from this frame, pose unknown
            else:
                matrix, share = fitted
                pose_matrix = matrix @ self.key_pose
                self.agreement.append(share)
        # (a sample after a lost one has no pose: nothing was followed from a known pose)
        if pose_matrix is not None:
            self.poses[t] = _original_pose(pose_matrix, self.centre, self.to_original)
        if self.key_points is None or len(self.key_points) < settings["max_corners"] // 4:
            found = _corners(frame, settings)
            if found is not None and pose_matrix is not None:
                self.key_points, self.current = found, found.copy()
                self.key_pose = pose_matrix
        self.previous = frame


# Helper functions -------------------------------------------------------------------------


def _small(frame: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    if (frame.shape[1], frame.shape[0]) == size:
        return frame
    return cv2.resize(frame, size, interpolation=cv2.INTER_AREA)


def _corners(frame: np.ndarray, settings: dict) -> np.ndarray | None:
    corners = cv2.goodFeaturesToTrack(
        frame,
        maxCorners=settings["max_corners"],
        qualityLevel=settings["quality"],
        minDistance=settings["min_distance"],
    )
    if corners is None or len(corners) < _MIN_POINTS:
        return None
    return corners.reshape(-1, 2).astype(np.float32)


def _follow(
    previous: np.ndarray, frame: np.ndarray, points: np.ndarray, settings: dict, lk: dict
) -> tuple[np.ndarray, np.ndarray]:
    """Points followed into ``frame``, and which of them survived the backward check."""
    if len(points) == 0:
        return points, np.zeros(0, bool)
    forward, status, _ = cv2.calcOpticalFlowPyrLK(previous, frame, points, None, **lk)
    back, status_back, _ = cv2.calcOpticalFlowPyrLK(frame, previous, forward, None, **lk)
    error = np.linalg.norm(back - points, axis=1)
    alive = (status.ravel() == 1) & (status_back.ravel() == 1) & (error < settings["fb_max_px"])
    return forward.reshape(-1, 2), alive


def _fit(source: np.ndarray, target: np.ndarray, settings: dict) -> tuple[np.ndarray, float] | None:
    """The 3x3 similarity taking ``source`` to ``target``, and the share that agrees."""
    matrix, inliers = cv2.estimateAffinePartial2D(
        source,
        target,
        method=cv2.RANSAC,
        ransacReprojThreshold=settings["ransac_px"],
        maxIters=500,
        confidence=0.995,
        refineIters=10,
    )
    if matrix is None or inliers is None:
        return None
    # A still background competes with the fitted motion: when at least half as many
    # points stayed put as agree with the fit, the fit follows a moving object (a
    # train filling the frame) and the camera is taken as still since the keyframe.
    still = np.linalg.norm(target - source, axis=1) < settings["ransac_px"]
    if still.sum() >= 0.5 * inliers.sum():
        return np.eye(3), float(still.mean())
    agreeing = inliers.ravel() == 1
    share = float(agreeing.mean())
    if agreeing.sum() >= _MIN_HOMOGRAPHY_POINTS:
        # A turning camera (pan, tilt) moves the picture's edges faster than its centre:
        # a homography of the background points says so, a similarity averages it away.
        homography, _ = cv2.findHomography(
            source[agreeing], target[agreeing], cv2.RANSAC, 2 * settings["ransac_px"]
        )
        if homography is not None and abs(homography[2, 2]) > 1e-9:
            return homography / homography[2, 2], share
    return np.vstack([matrix, [0.0, 0.0, 1.0]]), share


def _original_pose(matrix: np.ndarray, centre: np.ndarray, to_original: float) -> np.ndarray:
    """One pose as ``(dx, dy)`` in original px, log scale, and roll in degrees."""
    dx, dy, log_scale, angle = _decompose(matrix, centre)
    return np.array([dx * to_original, dy * to_original, log_scale, math.degrees(angle)])


def _interpolate(sampled: list[int], poses: np.ndarray, n_frames: int) -> np.ndarray:
    """Poses at every frame, linear between the sampled ones (NaN past the last known)."""
    full = np.full((n_frames, poses.shape[1]), np.nan)
    known = np.isfinite(poses[:, 0])
    if not known.any():
        return full
    at = np.asarray(sampled)[known]
    frames = np.arange(n_frames)
    for column in range(poses.shape[1]):
        full[:, column] = np.interp(frames, at, poses[known, column])
    full[frames > at[-1]] = np.nan
    return full


def _decompose(matrix: np.ndarray, centre: np.ndarray) -> tuple[float, float, float, float]:
    """Motion at the frame centre of a 3x3 homography: (dx, dy), log scale, angle (CCW).

    Scale and angle come from the homography's local linear map (its Jacobian) at the
    centre, so a perspective tilt far from the centre does not count as zoom or roll.
    """
    x, y = centre
    w = matrix[2, 0] * x + matrix[2, 1] * y + matrix[2, 2]
    u = (matrix[0, 0] * x + matrix[0, 1] * y + matrix[0, 2]) / w
    v = (matrix[1, 0] * x + matrix[1, 1] * y + matrix[1, 2]) / w
    jacobian = (
        np.array(
            [
                [matrix[0, 0] - u * matrix[2, 0], matrix[0, 1] - u * matrix[2, 1]],
                [matrix[1, 0] - v * matrix[2, 0], matrix[1, 1] - v * matrix[2, 1]],
            ]
        )
        / w
    )
    scale = math.sqrt(abs(np.linalg.det(jacobian)))
    # The rotation nearest to the local map; image y points down, so a turn that looks
    # counter-clockwise on screen has a negative angle in the (x right, y down) frame.
    angle = math.atan2(jacobian[1, 0] - jacobian[0, 1], jacobian[0, 0] + jacobian[1, 1])
    return float(u - x), float(v - y), math.log(scale), -angle


def _rate(path: np.ndarray, fps: float) -> float:
    """Least-squares slope of a cumulative path per second (NaN if too little of it)."""
    finite = np.isfinite(path)
    if finite.sum() < 2:
        return math.nan
    t = np.flatnonzero(finite) / fps
    return float(np.polyfit(t, path[finite], 1)[0])
