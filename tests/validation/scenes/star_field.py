"""star-field: emissive stars on a sky sphere turning about an axis, over a dark ridge.

    blender -b --factory-startup -P star_field.py -- --out DIR --truth T.json \
        [--rate 3] [--pole-px X Y] [--variant correct|nonrigid]

The camera sits at the origin looking north, 20 deg above the horizon; the stars
(small emissive icospheres, 200 m away) are children of one empty that turns about
the axis through the camera and the pixel ``--pole-px`` (default: the principal
point) at ``--rate`` deg/s, + = counter-clockwise on screen. A dark jagged ridge
hides the lower part of the frame and does not move.

Variant ``nonrigid`` (wrong twin): the stars are split into three bands by angular
distance from the pole turning at 0.5x, 1x and 1.6x the rate: no rigid rotation.

Truth (from the projection of the stars' and the axis' world positions, per frame):
the pole pixel (projection of the rotation axis) and the image-plane angular
velocity: the rotation angle of the image homography K R K^-1, i.e. the sky's rate,
with its sign checked on the projected stars (their mean change of angle about the
projected pole, atan2(-dy, dx) with y down, so + = CCW on screen).
"""

from __future__ import annotations

import math
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import statistics  # noqa: E402

import _common as C  # noqa: E402
import bmesh  # noqa: E402
import bpy  # noqa: E402
from mathutils import Matrix, Vector  # noqa: E402

RADIUS = 200.0  # m, sky sphere


def arguments(parser):
    parser.add_argument("--rate", type=float, default=3.0, help="deg/s, + = CCW on screen")
    parser.add_argument("--pole-px", type=float, nargs=2, default=None)
    parser.add_argument("--stars", type=int, default=700)
    parser.add_argument("--seed", type=int, default=11)


def pixel_ray(camera, x, y):
    """World direction of the camera ray through pixel (x, y) (probe convention)."""
    data = camera.data
    f_px = data.lens / data.sensor_width * C.WIDTH
    cx, cy = C.WIDTH / 2 - 0.5, C.HEIGHT / 2 - 0.5
    local = Vector(((x - cx) / f_px, -(y - cy) / f_px, -1.0))
    return (camera.matrix_world.to_3x3() @ local).normalized()


def build_ridge(camera):
    """A dark jagged ridge 60 m in front, covering roughly the lower fifth of the frame."""
    rng = random.Random(5)
    mesh = bpy.data.meshes.new("ridge")
    bm = bmesh.new()
    depth = 60.0
    f_px = camera.data.lens / camera.data.sensor_width * C.WIDTH
    top = []
    n = 40
    for i in range(n + 1):
        x_px = -40 + (C.WIDTH + 80) * i / n
        y_px = C.HEIGHT * 0.80 + rng.uniform(-18, 12) + 14 * math.sin(i / 4.0)
        top.append((x_px, y_px))
    verts_top, verts_bot = [], []
    cx, cy = C.WIDTH / 2 - 0.5, C.HEIGHT / 2 - 0.5
    for x_px, y_px in top:
        for y, store in ((y_px, verts_top), (C.HEIGHT + 60, verts_bot)):
            local = Vector(((x_px - cx) / f_px * depth, -(y - cy) / f_px * depth, -depth))
            store.append(bm.verts.new(camera.matrix_world @ local))
    for i in range(n):
        bm.faces.new((verts_top[i], verts_top[i + 1], verts_bot[i + 1], verts_bot[i]))
    bm.to_mesh(mesh)
    bm.free()
    obj = bpy.data.objects.new("ridge", mesh)
    obj.data.materials.append(C.material("ridge", (0.004, 0.004, 0.005), roughness=1.0))
    return C.link(obj)


def main():
    args = C.parse_args(arguments)
    scene = C.reset()
    frames = C.setup_render(scene, args)
    scene.render.use_motion_blur = False
    scene.cycles.use_denoising = False  # point-like emitters on black: denoising smears them
    C.world_color(scene, (0.004, 0.006, 0.012), 1.0)
    camera = C.add_camera("cam", (0, 0, 0), (90 + 20, 0, 0), lens_mm=35)
    scene.camera = camera
    bpy.context.view_layer.update()
    pole_px = args.pole_px or (C.WIDTH / 2 - 0.5, C.HEIGHT / 2 - 0.5)
    axis = pixel_ray(camera, *pole_px)
    view = pixel_ray(camera, C.WIDTH / 2 - 0.5, C.HEIGHT / 2 - 0.5)
    build_ridge(camera)

    # Stars: in a cap around the axis wide enough to cover the frame during the turn.
    cap = math.degrees(view.angle(axis)) + 36.0
    rng = random.Random(args.seed)
    # A frame orthonormal to the axis.
    u = axis.orthogonal().normalized()
    w = axis.cross(u).normalized()
    band_rates = {"correct": (1.0, 1.0, 1.0), "nonrigid": (0.5, 1.0, 1.6)}[args.variant]
    edges = (0.0, cap / 3, 2 * cap / 3, cap + 1)
    meshes = [bmesh.new() for _ in band_rates]
    star_dirs = [[] for _ in band_rates]
    cos_cap = math.cos(math.radians(cap))
    placed = 0
    while placed < args.stars:
        z = rng.uniform(cos_cap, 1.0)
        phi = rng.uniform(0, 2 * math.pi)
        s = math.sqrt(1 - z * z)
        d = (axis * z + u * (s * math.cos(phi)) + w * (s * math.sin(phi))).normalized()
        theta = math.degrees(math.acos(max(-1.0, min(1.0, z))))
        band = next(i for i in range(3) if edges[i] <= theta < edges[i + 1])
        size = 0.25 + 0.35 * rng.random() ** 2
        bmesh.ops.create_icosphere(
            meshes[band], subdivisions=1, radius=size, matrix=Matrix.Translation(d * RADIUS)
        )
        star_dirs[band].append(d * RADIUS)
        placed += 1
    pivots = []
    mat = C.emission_material("star", (1.0, 0.97, 0.9), 6.0)
    for band, bm in enumerate(meshes):
        mesh = bpy.data.meshes.new(f"stars{band}")
        bm.to_mesh(mesh)
        bm.free()
        mesh.materials.append(mat)
        pivot = C.link(bpy.data.objects.new(f"pivot{band}", None))
        pivot.rotation_mode = "AXIS_ANGLE"
        stars = C.link(bpy.data.objects.new(f"stars{band}", mesh))
        stars.parent = pivot
        # An object's rotation about +axis by +a (right hand) looks clockwise when seen
        # looking along +axis (out of the camera), so CCW on screen is a negative angle.
        rate = -math.radians(args.rate * band_rates[band])
        for frame in (1, frames):
            pivot.rotation_axis_angle = (rate * (frame - 1) / C.FPS, *axis)
            pivot.keyframe_insert("rotation_axis_angle", frame=frame)
        for fc in pivot.animation_data.action.fcurves:
            for kp in fc.keyframe_points:
                kp.interpolation = "LINEAR"
        pivots.append(pivot)

    # Truth from projections.
    pole_truth = C.project(scene, camera, axis * 1000.0)
    per_frame = []
    positions = []
    for frame in range(1, frames + 1):
        scene.frame_set(frame)
        pts = []
        for band, pivot in enumerate(pivots):
            m = pivot.matrix_world
            pts.extend((band, C.project(scene, camera, m @ p)) for p in star_dirs[band][:400])
        positions.append(pts)
    for t in range(frames - 1):
        steps = {0: [], 1: [], 2: []}
        for (band, a), (_, b) in zip(positions[t], positions[t + 1], strict=True):
            if not (0 <= a[0] < C.WIDTH and 0 <= a[1] < C.HEIGHT * 0.8):
                continue
            ang_a = math.atan2(-(a[1] - pole_truth[1]), a[0] - pole_truth[0])
            ang_b = math.atan2(-(b[1] - pole_truth[1]), b[0] - pole_truth[0])
            steps[band].append(math.degrees((ang_b - ang_a + math.pi) % (2 * math.pi) - math.pi))
        per_frame.append({k: float(statistics.fmean(v)) * C.FPS for k, v in steps.items() if v})
    rates_all = [statistics.fmean(list(p.values())) for p in per_frame]
    band_mean = {k: float(statistics.fmean([p[k] for p in per_frame if k in p])) for k in (0, 1, 2)}
    mean_rate = statistics.median(rates_all)
    # The image of a rigid turn of the sky about an axis through the camera centre is the
    # homography K R K^-1, whose complex eigenvalues carry the sky's own angle: the
    # image-plane angular velocity is the set rate. The sign is checked on the projected
    # stars (their mean angle change about the projected pole).
    assert mean_rate * args.rate > 0, (mean_rate, args.rate)
    truth = {
        "scene": "star-field",
        "variant": args.variant,
        "phenomena": {"rotation": args.variant == "correct"},
        "rotation": {
            "angular_velocity_deg_s": args.rate,
            "mean_star_angle_rate_deg_s": C.r6(mean_rate),
            "center_x": C.r6(pole_truth[0]),
            "center_y": C.r6(pole_truth[1]),
            "rigid": args.variant == "correct",
            "band_rates_deg_s": [C.r6(band_mean[k]) for k in (0, 1, 2)],
            "sign": "+ = counter-clockwise on screen (y down)",
            "method": "pole = projection of the rotation axis; rate = angle of the image "
            "homography K R K^-1 (= the sky's rate), sign checked on projected stars; "
            "mean_star_angle_rate = mean per-frame angle change of visible projected stars "
            "about the pole (differs off-centre, where the image turn is not uniform)",
        },
        "frames": frames,
        "seconds": args.seconds,
        "samples": args.samples,
    }
    if args.variant != "correct":
        truth["wrong_because"] = (
            "non-rigid sky: three bands of stars turn at "
            f"{band_rates[0]}x, {band_rates[1]}x and {band_rates[2]}x {args.rate} deg/s"
        )
    C.write_truth(args.truth, truth)
    if not args.truth_only:
        seconds = C.render_frames(scene, args.out)
        print(f"RENDER_SECONDS {seconds:.1f}")


main()
